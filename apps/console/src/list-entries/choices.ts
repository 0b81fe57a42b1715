export const listChoices = [
  { id: 'block', name: 'block' },
  { id: 'allow', name: 'allow' },
];

export const kindChoices = ['card', 'device', 'ip', 'user', 'bin', 'bin_country', 'email_domain'].map((id) => ({ id, name: id.replace(/_/g, ' ') }));
