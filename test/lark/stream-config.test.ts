import { describe, expect, it } from 'vitest';
import { ChatConfigError, loadChatConfig } from '../../src/lark/config.js';
import { completeMarkup } from '../../src/lark/stream-card.js';

const APP = { LARK_APP_ID: 'cli_5a7d1e0b9c3f2468', LARK_APP_SECRET: 's' };

describe('LARK_STREAM and LARK_STREAM_IN_GROUPS', () => {
  it('stream in private chats by default, in groups only when asked', () => {
    expect(loadChatConfig(APP)).toMatchObject({ kind: 'lark', stream: true, streamInGroups: false });
    expect(loadChatConfig({ ...APP, LARK_STREAM_IN_GROUPS: '1' })).toMatchObject({ stream: true, streamInGroups: true });
    expect(loadChatConfig({ ...APP, LARK_STREAM: 'off', LARK_STREAM_IN_GROUPS: ' ' })).toMatchObject({ stream: false, streamInGroups: false });
  });

  it('a value that is not a switch stops with the variable named', () => {
    expect(() => loadChatConfig({ ...APP, LARK_STREAM_IN_GROUPS: 'yes please' })).toThrow(ChatConfigError);
    expect(() => loadChatConfig({ ...APP, LARK_STREAM_IN_GROUPS: 'yes please' })).toThrow(/LARK_STREAM_IN_GROUPS: must be 1 or 0/);
  });
});

describe('streamed text only ever grows', () => {
  it('holds back a citation marker or a bold mark still being written, so every push is a prefix of the next', () => {
    expect(completeMarkup('吸引467名大学生到村任职[1')).toBe('吸引467名大学生到村任职');
    expect(completeMarkup('吸引467名大学生到村任职[1]')).toBe('吸引467名大学生到村任职[1]');
    expect(completeMarkup('一、**选优配强')).toBe('一、');
    expect(completeMarkup('一、**选优配强**，')).toBe('一、**选优配强**，');
  });
});
