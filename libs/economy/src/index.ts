/** @coinops/economy: users, creators, signed platform events and gifts around the ledger (docs/economy.md). No HTTP. */
export { PLATFORM_ID, EVENT_ID, GIFT_ID } from './ids';

export { loadEconomyConfig, packagePrice } from './config/economy-config';
export type { EconomyConfig, EconomyConfigDto, RatioDto, CoinPackageDto } from './config/economy-config';

export { SIGNATURE_HEADER, SIGNATURE_TOLERANCE_SECONDS, signEvent, verifySignature } from './events/signature';
export { EVENT_TYPES, STORED_EVENT_TYPES, EVENT_DATA_SCHEMAS, KYC_STATUSES, PAYMENT_METHODS, SECURITY_CHANGES, parsePlatformEvent, wireData } from './events/event-schemas';
export type { EventType, EventData, PlatformEvent, GiftSentEvent } from './events/event-schemas';
export { errorReply } from './events/event-store';
export type { EventReply, EventStatus } from './events/event-store';
export { PlatformEventsService } from './events/platform-events';

export { UsersService, USERS_LIST, applyUserProfile } from './users/users';
export type { UserDto } from './users/users';
export { exportUserData, registerUserDataSource, MAX_ROWS_PER_SOURCE } from './users/data-export';
export type { UserDataExport, UserDataSource, ExportContext } from './users/data-export';
export { CreatorsService, CREATORS_LIST, applyCreatorProfile } from './creators/creators';
export type { CreatorDto } from './creators/creators';
export { GiftPoster } from './gifts/gift-poster';
export type { GiftPosterOptions, GiftPosterStats } from './gifts/gift-poster';
export { GiftsService, GIFTS_LIST } from './gifts/gifts';
export type { GiftDto } from './gifts/gifts';

export { LedgerAccountsService, LEDGER_ACCOUNTS_LIST } from './ledger-views/accounts';
export type { LedgerAccountDto } from './ledger-views/accounts';
export { LedgerTransactionsService, LEDGER_TRANSACTIONS_LIST, JOURNAL_LIST } from './ledger-views/transactions';
export type { LedgerTransactionDto, LedgerPostingDto, JournalLineDto } from './ledger-views/transactions';
export { checkLedger, recordLedgerVerification, verificationSummary, toReportDto } from './ledger-views/verification';
export type { LedgerReportDto, RecordedVerification } from './ledger-views/verification';
export type { Page } from './listing/page';
export { seedDemoEconomy, DEMO_ECONOMY } from './demo/seed-demo-economy';
