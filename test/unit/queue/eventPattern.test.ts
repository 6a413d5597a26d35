/**
 * EventBridge's exact-value matching and the message paths (shared/queue/eventPattern.ts), as the
 * Outbox pipe's filter and the Relay (and the local pipe) use them.
 */
import { describe, expect, it } from 'vitest';
import {
  checkPattern,
  describePattern,
  matchesPattern,
  renderMessage,
  valueAt,
} from '#shared/queue/eventPattern.ts';

const event = {
  eventName: 'INSERT',
  tags: ['a', 'b'],
  dynamodb: { NewImage: { sk: { S: 'CASE' }, n: { N: '3' } }, list: [{ x: 'first' }] },
};

describe('event patterns', () => {
  it('match when every field is present and equals one of its values, nested and in arrays', () => {
    expect(matchesPattern({ eventName: ['MODIFY', 'INSERT'] }, event)).toBe(true);
    expect(matchesPattern({ dynamodb: { NewImage: { sk: { S: ['CASE'] } } } }, event)).toBe(true);
    expect(matchesPattern({ tags: ['b'] }, event)).toBe(true);
    expect(matchesPattern({ eventName: ['REMOVE'] }, event)).toBe(false);
    expect(matchesPattern({ dynamodb: { NewImage: { type: { S: ['filed'] } } } }, event)).toBe(false);
    expect(matchesPattern({ eventName: { S: ['INSERT'] } }, event)).toBe(false);
  });

  it('refuse an empty list of values, as EventBridge does, and describe themselves on one line', () => {
    expect(() => checkPattern({ dynamodb: { NewImage: { type: { S: [] } } } })).toThrow(
      'event pattern: $.dynamodb.NewImage.type.S lists no value',
    );
    expect(
      describePattern({ eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: ['A', 'B'] } } } }),
    ).toBe('eventName=INSERT dynamodb.NewImage.sk.S=A|B');
  });
});

describe('message paths', () => {
  it('read nested fields and array elements, and nothing past a missing step', () => {
    expect(valueAt(event, '$.dynamodb.NewImage.sk.S')).toBe('CASE');
    expect(valueAt(event, '$.dynamodb.list[0].x')).toBe('first');
    expect(valueAt(event, '$.dynamodb.OldImage.sk.S')).toBeUndefined();
    expect(() => valueAt(event, 'dynamodb')).toThrow('does not start with $');
  });

  it('render a message of the strings found, naming the paths that held none', () => {
    expect(renderMessage({ sk: '$.dynamodb.NewImage.sk.S' }, event)).toEqual({
      body: '{"sk":"CASE"}',
      missing: [],
    });
    const { body, missing } = renderMessage(
      { n: '$.dynamodb.NewImage.n', r: '$.dynamodb.NewImage.radicado.S' },
      event,
    );
    expect(JSON.parse(body)).toEqual({ n: '{"N":"3"}', r: '' });
    expect(missing).toEqual(['$.dynamodb.NewImage.n', '$.dynamodb.NewImage.radicado.S']);
  });
});
