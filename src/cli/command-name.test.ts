import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandName } from './command-name.js';

describe('the command tokengate prints for people to run', () => {
  it('is tokengate when installed as a package, npx tokengate in a clone', () => {
    assert.equal(commandName('/usr/local/lib/node_modules/tokengate/dist/cli'), 'tokengate');
    assert.equal(commandName('/home/me/tokengate/dist/cli'), 'npx tokengate');
    assert.equal(commandName('/home/me/tokengate/src/cli'), 'npx tokengate');
  });
});
