import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The 49,233 most common passwords, one a line, shipped beside this file (breached-passwords.txt). Source:
 * the `passwords` dictionary of @zxcvbn-ts/language-common 4.1.3 (MIT; Dropbox's zxcvbn ranking of leaked
 * password dumps), extracted once so no runtime dependency or network is needed. See docs/security.md.
 */
export const BREACHED_LIST_FILE = join(__dirname, 'breached-passwords.txt');

let breached: Set<string> | undefined;

function list(): Set<string> {
  breached ??= new Set(readFileSync(BREACHED_LIST_FILE, 'utf8').split('\n').map((line) => line.trim().toLowerCase()).filter(Boolean));
  return breached;
}

/** True if the password, ignoring case, is on the breached list. */
export function isBreachedPassword(password: string): boolean {
  return list().has(password.toLowerCase());
}

export function breachedListSize(): number {
  return list().size;
}
