import { isBreachedPassword } from './breached';

export const DEFAULT_PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/**
 * Why a new operator password is refused, or null: too short (PASSWORD_MIN_LENGTH, default 12), too long,
 * or on the shipped breached-password list. Checked on create, reset and change; never on sign-in.
 */
export function passwordProblem(password: string, minLength = DEFAULT_PASSWORD_MIN_LENGTH): string | null {
  if (password.length < minLength) return `must be at least ${minLength} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  if (isBreachedPassword(password)) return 'is on the list of breached passwords; choose another';
  return null;
}
