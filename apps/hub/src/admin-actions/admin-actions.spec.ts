import { changeAction } from './admin-actions';

describe('the action a catalogue change amounts to', () => {
  it('is created for a new entry', () => {
    expect(changeAction('catalogue.system', null, { status: 'ACTIVE' })).toBe(
      'catalogue.system.created',
    );
  });

  it('is disabled or enabled when the status changes', () => {
    expect(changeAction('catalogue.system', { status: 'ACTIVE' }, { status: 'DISABLED' })).toBe(
      'catalogue.system.disabled',
    );
    expect(
      changeAction('catalogue.subscription', { status: 'DISABLED' }, { status: 'ACTIVE' }),
    ).toBe('catalogue.subscription.enabled');
  });

  it('is updated when the status stays', () => {
    expect(changeAction('catalogue.service', { status: 'ACTIVE' }, { status: 'ACTIVE' })).toBe(
      'catalogue.service.updated',
    );
  });
});
