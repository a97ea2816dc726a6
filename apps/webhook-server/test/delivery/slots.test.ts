import { DeliverySlots, PREFETCH_FACTOR } from '../../src/delivery/slots.js';
import type { ClaimedDelivery } from '../../src/storage/deliveries.js';

let sequence = 0;
function delivery(endpointId: string): ClaimedDelivery {
  sequence += 1;
  return {
    id: `dlv_${sequence}`,
    accountId: 'acct_1',
    endpointId,
    eventId: `evt_${sequence}`,
    attemptCount: 0,
    scheduledAttempts: 0,
    manual: false,
    url: 'https://hooks.example.com',
    secretEncrypted: '',
    previousSecretEncrypted: null,
    previousSecretExpiresAt: null,
    payload: '{}',
  };
}

describe('DeliverySlots', () => {
  test('per-endpoint limit holds back the rest', () => {
    const slots = new DeliverySlots({ global: 10, perEndpoint: 2 });
    for (let i = 0; i < 4; i += 1) {
      slots.add(delivery('ep_a'));
    }

    const started = slots.takeStartable();

    expect(started).toHaveLength(2);
    expect(slots.runningCount).toBe(2);
    expect(slots.heldByEndpoint.get('ep_a')).toBe(4);
  });

  test('global limit is shared in turns', () => {
    const slots = new DeliverySlots({ global: 3, perEndpoint: 3 });
    for (let i = 0; i < 3; i += 1) {
      slots.add(delivery('ep_a'));
    }
    slots.add(delivery('ep_b'));

    const first = slots.takeStartable();
    slots.finish(first[0] as ClaimedDelivery);
    const second = slots.takeStartable();

    expect(first.map((item) => item.endpointId)).toEqual(['ep_a', 'ep_a', 'ep_a']);
    expect(second.map((item) => item.endpointId)).toEqual(['ep_b']);
  });

  test('claim room counts held deliveries', () => {
    const slots = new DeliverySlots({ global: 4, perEndpoint: 4 });
    slots.add(delivery('ep_a'));
    slots.add(delivery('ep_b'));

    expect(slots.claimRoom()).toBe(PREFETCH_FACTOR * 4 - 2);
    expect(slots.endpointHoldLimit).toBe(PREFETCH_FACTOR * 4);
  });

  test('finish asks for a claim when the waiting list runs low', () => {
    const slots = new DeliverySlots({ global: 10, perEndpoint: 2 });
    for (let i = 0; i < 6; i += 1) {
      slots.add(delivery('ep_a'));
    }
    const running = slots.takeStartable();

    // Four wait for two slots: more than one slot's worth, so no claim yet.
    const early = slots.finish(running[0] as ClaimedDelivery);
    running.push(...slots.takeStartable());
    // Three wait, then two: one slot's worth is reached.
    const middle = slots.finish(running[1] as ClaimedDelivery);
    running.push(...slots.takeStartable());
    const late = slots.finish(running[2] as ClaimedDelivery);

    expect(early).toBe(false);
    expect(middle).toBe(false);
    expect(late).toBe(true);
  });

  test('takeWaitingOf drops one endpoint only', () => {
    const slots = new DeliverySlots({ global: 10, perEndpoint: 1 });
    for (const endpointId of ['ep_a', 'ep_a', 'ep_a', 'ep_b', 'ep_b']) {
      slots.add(delivery(endpointId));
    }
    slots.takeStartable();

    const dropped = slots.takeWaitingOf('ep_a');
    const next = slots.takeStartable();

    expect(dropped.map((item) => item.endpointId)).toEqual(['ep_a', 'ep_a']);
    expect(slots.heldByEndpoint.get('ep_a')).toBe(1);
    expect(slots.heldByEndpoint.get('ep_b')).toBe(2);
    expect(next).toHaveLength(0);
  });

  test('takeAllWaiting returns unstarted deliveries', () => {
    const slots = new DeliverySlots({ global: 10, perEndpoint: 1 });
    const items = [delivery('ep_a'), delivery('ep_a'), delivery('ep_a')];
    for (const item of items) {
      slots.add(item);
    }
    slots.takeStartable();

    const waiting = slots.takeAllWaiting();

    expect(waiting.map((item) => item.id)).toEqual([items[1]?.id, items[2]?.id]);
    expect(slots.heldByEndpoint.get('ep_a')).toBe(1);
    expect(slots.claimRoom()).toBe(PREFETCH_FACTOR * 10 - 1);
  });
});
