export const kycChoices = [
  { id: 'none', name: 'None' },
  { id: 'pending', name: 'Pending' },
  { id: 'verified', name: 'Verified' },
  { id: 'rejected', name: 'Rejected' },
];
