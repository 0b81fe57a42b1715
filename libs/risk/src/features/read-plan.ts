import { EvaluatedEvent, LIST_NAMES, ListKind, ListName, SubjectFacts } from '../types';
import { FRAUD_RETENTION_MS } from './catalog';
import { EntityKind, isYoungSender, listMember, RiskKeys } from './redis-keys';

/** Separators of the read script's operation list (identifiers never hold control characters). */
export const OP_SEPARATOR = '\x1e';
export const FIELD_SEPARATOR = '\x1f';
export const MEMBER_SEPARATOR = '\x1d';

export type ScanLabel = 'user' | 'card' | 'device' | 'ip' | 'userGifts' | 'creatorGifts' | 'creatorYoungGifts' | 'security';

/** Where each answer of the read script goes: `reply[index + 1]` (reply[0] is the epoch flag). */
export interface ReadPlan {
  /** The encoded operations (ARGV[9] of READ_FEATURES). */
  ops: string;
  scans: Partial<Record<ScanLabel, number>>;
  fraud: Partial<Record<'u' | 'c' | 'd', number>>;
  firstRecharge: number;
  lists: { list: ListName; index: number; lookups: { kind: ListKind; value: string }[] }[];
  markers: { entity: EntityKind | 'lists'; value: string; index: number }[];
  rulesToken: number;
}

/** The values an event is looked up by on each list kind. */
export function listValues(event: EvaluatedEvent, subject: SubjectFacts): { kind: ListKind; value: string }[] {
  const values: { kind: ListKind; value: string }[] = [{ kind: 'user', value: event.userId }];
  if (event.deviceId) values.push({ kind: 'device', value: event.deviceId });
  if (event.ip) values.push({ kind: 'ip', value: event.ip });
  if (subject.emailDomain) values.push({ kind: 'email_domain', value: subject.emailDomain.toLowerCase() });
  if (event.kind === 'recharge') {
    if (event.cardFingerprint) values.push({ kind: 'card', value: event.cardFingerprint });
    if (event.cardBin) values.push({ kind: 'bin', value: event.cardBin });
    if (event.binCountry) values.push({ kind: 'bin_country', value: event.binCountry });
  }
  return values;
}

export function buildReadPlan(keys: RiskKeys, event: EvaluatedEvent, subject: SubjectFacts): ReadPlan {
  const encoded: string[] = [];
  const add = (code: string, key: string, a1 = '', a2 = '', a3 = '', a4 = ''): number =>
    encoded.push([code, keys.suffix(key), a1, a2, a3, a4].join(FIELD_SEPARATOR) + OP_SEPARATOR) - 1;
  const plan: ReadPlan = { ops: '', scans: {}, fraud: {}, firstRecharge: -1, lists: [], markers: [], rulesToken: -1 };
  const scan = (label: ScanLabel, key: string, include: boolean, a1 = '', a2 = '') => {
    plan.scans[label] = include ? add('S', key, a1, a2) : add('s', key);
  };

  const user = event.userId;
  const isRecharge = event.kind === 'recharge';
  const card = isRecharge ? event.cardFingerprint : undefined;
  const device = event.deviceId;
  const ip = event.ip;

  // The user's scan also answers the per-user method and BIN-country windows (members carry both).
  plan.scans.user = isRecharge
    ? add('U', keys.rechargesByUser(user), card ?? '', device ?? '', event.method, event.binCountry ?? '')
    : add('u', keys.rechargesByUser(user));
  if (card) scan('card', keys.rechargesByCard(card), true, user, device ?? '');
  if (device) scan('device', keys.rechargesByDevice(device), isRecharge, user, card ?? '');
  if (ip) scan('ip', keys.rechargesByIp(ip), isRecharge, user, card ?? '');
  scan('userGifts', keys.giftsBySender(user), !isRecharge, isRecharge ? '' : event.creatorId);
  if (!isRecharge) {
    scan('creatorGifts', keys.giftsToCreator(event.creatorId), true, user);
    scan('creatorYoungGifts', keys.youngGiftsToCreator(event.creatorId), isYoungSender(event.senderCreatedAt, event.occurredAt), user);
  }
  scan('security', keys.securityChanges(user), false);

  plan.fraud.u = add('X', keys.fraud('u', user), String(FRAUD_RETENTION_MS));
  if (card) plan.fraud.c = add('X', keys.fraud('c', card), String(FRAUD_RETENTION_MS));
  if (device) plan.fraud.d = add('X', keys.fraud('d', device), String(FRAUD_RETENTION_MS));
  plan.firstRecharge = add('F', keys.firstRecharge(user));

  const lookups = listValues(event, subject);
  const members = lookups.map(({ kind, value }) => listMember(kind, value)).join(MEMBER_SEPARATOR);
  for (const list of LIST_NAMES) plan.lists.push({ list, lookups, index: add('L', keys.list(list), members) });

  const marker = (entity: EntityKind, value: string) => plan.markers.push({ entity, value, index: add('M', keys.marker(entity, value)) });
  marker('u', user);
  if (card) marker('c', card);
  if (device) marker('d', device);
  if (ip) marker('i', ip);
  if (!isRecharge) marker('cr', event.creatorId);
  plan.markers.push({ entity: 'lists', value: '', index: add('M', keys.listsMarker) });
  plan.rulesToken = add('T', keys.rulesToken);
  plan.ops = encoded.join('');
  return plan;
}
