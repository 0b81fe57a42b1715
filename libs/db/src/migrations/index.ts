import { Foundation1764288000000 } from './1764288000000-Foundation';
import { Ledger1764288100000 } from './1764288100000-Ledger';
import { Risk1764288200000 } from './1764288200000-Risk';
import { Economy1764288300000 } from './1764288300000-Economy';
import { Payments1764288400000 } from './1764288400000-Payments';
import { Reviews1764288500000 } from './1764288500000-Reviews';
import { ReviewDecisions1764288600000 } from './1764288600000-ReviewDecisions';
import { Refunds1764288700000 } from './1764288700000-Refunds';
import { Chargebacks1764288800000 } from './1764288800000-Chargebacks';
import { Payouts1764288900000 } from './1764288900000-Payouts';
import { Rollups1764289000000 } from './1764289000000-Rollups';
import { OperatorSecurity1764289100000 } from './1764289100000-OperatorSecurity';
import { UnauthorizedActivity1764289200000 } from './1764289200000-UnauthorizedActivity';

/** Every migration, in order. A new migration is appended here (and nowhere else). */
export const migrations = [Foundation1764288000000, Ledger1764288100000, Risk1764288200000, Economy1764288300000, Payments1764288400000, Reviews1764288500000, ReviewDecisions1764288600000, Refunds1764288700000, Chargebacks1764288800000, Payouts1764288900000, Rollups1764289000000, OperatorSecurity1764289100000, UnauthorizedActivity1764289200000];
