import { Conflict } from '@coinops/contracts';

/**
 * A debit larger than the account's available balance (posted − pending debits). A 409 at the API,
 * whose body carries `available` (decimal string) so the client can show it.
 */
export class InsufficientFunds extends Conflict {
  readonly accountCode: string;
  readonly available: bigint;
  readonly requested: bigint;

  constructor(accountCode: string, asset: string, available: bigint, requested: bigint) {
    super(`${accountCode} has ${available} ${asset} available, ${requested} requested`, undefined, {
      account: accountCode,
      asset,
      available: available.toString(),
      requested: requested.toString(),
    });
    this.accountCode = accountCode;
    this.available = available;
    this.requested = requested;
  }
}
