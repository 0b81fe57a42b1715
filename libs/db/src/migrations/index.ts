import { Foundation1764288000000 } from './1764288000000-Foundation';
import { Ledger1764288100000 } from './1764288100000-Ledger';
import { Risk1764288200000 } from './1764288200000-Risk';

/** Every migration, in order. A new migration is appended here (and nowhere else). */
export const migrations = [Foundation1764288000000, Ledger1764288100000, Risk1764288200000];
