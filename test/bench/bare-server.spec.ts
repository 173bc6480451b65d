import { invalidHearFeedbackFields } from '../../bench/bare-server.js';

describe('the bare baseline’s validation', () => {
  const valid = {
    channel: 'forum',
    kind: 'idea',
    summary: 'Evening GP access matters',
    groupId: null,
    raisedBy: null,
    occurredAt: '2014-03-10',
  };

  it('accepts what HearFeedbackDto accepts', () => {
    expect(invalidHearFeedbackFields(valid)).toEqual([]);
    expect(
      invalidHearFeedbackFields({ ...valid, feedbackId: 'f-1', groupId: 'g1', raisedBy: 'p1' }),
    ).toEqual([]);
    expect(invalidHearFeedbackFields({ ...valid, occurredAt: '2014-03-10T09:30:00Z' })).toEqual([]);
  });

  it('names each invalid field, as validation_failed does', () => {
    expect(
      invalidHearFeedbackFields({
        channel: 'pigeon',
        kind: 'idea',
        summary: 'x'.repeat(2_001),
        groupId: 'bad id',
        occurredAt: 'last spring',
        extra: true,
      }),
    ).toEqual(['extra', 'channel', 'summary', 'groupId', 'occurredAt']);
    expect(invalidHearFeedbackFields([])).toEqual(['body']);
    expect(invalidHearFeedbackFields(null)).toEqual(['body']);
  });
});
