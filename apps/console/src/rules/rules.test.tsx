import { ROLES } from '@coinops/contracts';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { canRoleAccess } from '../access';
import { ExpressionFrame, positionIn } from './ExpressionInput';
import { toRuleDraft } from './RuleFields';

afterEach(cleanup);

describe('who may do what with rules, lists and alerts', () => {
  it('lets every role read rules, list entries and alerts', () => {
    for (const role of ROLES) {
      for (const resource of ['rules', 'list-entries', 'alerts']) {
        expect({ role, resource, list: canRoleAccess(role, resource, 'list'), show: canRoleAccess(role, resource, 'show') }).toEqual({ role, resource, list: true, show: true });
      }
    }
  });

  it('lets only trust and safety and admins edit rules, run backtests and change lists', () => {
    for (const role of ROLES) {
      const editor = role === 'trust_safety' || role === 'admin';
      for (const [resource, action] of [
        ['rules', 'create'],
        ['rules', 'edit'],
        ['rules', 'backtest'],
        ['list-entries', 'create'],
        ['list-entries', 'remove'],
      ]) {
        expect({ role, resource, action, allowed: canRoleAccess(role, resource, action) }).toEqual({ role, resource, action, allowed: editor });
      }
    }
  });

  it('keeps alerts read-only and offers no delete anywhere', () => {
    expect(canRoleAccess('admin', 'alerts', 'edit')).toBe(false);
    expect(canRoleAccess('admin', 'rules', 'delete')).toBe(false);
    expect(canRoleAccess('admin', 'list-entries', 'delete')).toBe(false);
  });
});

describe('the expression editor', () => {
  it('reads the position out of the server message', () => {
    expect(positionIn('No such key: cnt_10m (line 2, column 8)')).toEqual({ line: 2, column: 8 });
    expect(positionIn('must be 1-200 characters')).toBeNull();
  });

  it('points a caret at the column the server named', () => {
    render(<ExpressionFrame expression={'card.count_1h >= 3 &&\n  card.cnt_10m > 2'} message="No such key: cnt_10m (line 2, column 8)" />);
    expect(screen.getByTestId('expression-error-frame').textContent).toBe('2 |   card.cnt_10m > 2\n  |        ^');
  });

  it('sends only the draft fields on save', () => {
    const record = { id: 'r1', key: 'k', live_version: 3, name: 'N', event_kind: 'any', expression: 'true', action: 'block', score: '90', severity: 'high', description: null, enabled: true, updated_at: 'x' };
    expect(toRuleDraft(record)).toEqual({ name: 'N', event_kind: 'any', expression: 'true', action: 'block', score: 90, severity: 'high', description: '', enabled: true });
  });
});
