import { describe, expect, it } from 'vitest';
import { userExitCode, UserError } from '../../src/cli/errors.js';
import { ConnectionError, LocalServerError, SettingsError } from '../../src/connection/errors.js';
import { TrafficError } from '../../src/loadgen/errors.js';
import { TransferError } from '../../src/transfer/errors.js';
import { WatchError } from '../../src/watch/errors.js';

describe('userExitCode: the one place errors become exit codes', () => {
  it('maps usage problems to 2 and failures to 1', () => {
    expect(userExitCode(new SettingsError('invalid port "x"'))).toBe(2);
    expect(userExitCode(new WatchError('invalid --watch interval'))).toBe(2);
    expect(userExitCode(new TransferError('-import needs -path FILE', true))).toBe(2);
    expect(userExitCode(new TrafficError('invalid --header', true))).toBe(2);
    expect(userExitCode(new TransferError('cannot read x: no such file'))).toBe(1);
    expect(userExitCode(new TrafficError('cannot create database'))).toBe(1);
    expect(userExitCode(new ConnectionError('connection refused'))).toBe(1);
    expect(userExitCode(new LocalServerError('influxd not found'))).toBe(1);
    expect(userExitCode(new UserError('unknown format', 2))).toBe(2);
  });

  it('leaves unexpected errors to the caller, which shows them with a --debug hint', () => {
    expect(userExitCode(new Error('boom'))).toBeUndefined();
    expect(userExitCode(new TypeError('x is not a function'))).toBeUndefined();
    expect(userExitCode('a string')).toBeUndefined();
  });
});
