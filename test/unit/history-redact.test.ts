import { describe, expect, it } from 'vitest';
import { redactForHistory } from '../../src/shell/history-redact.js';

describe('redactForHistory', () => {
  it.each([
    ['SELECT * FROM cpu', 'SELECT * FROM cpu'],
    ["CREATE USER bob WITH PASSWORD 'secret'", 'CREATE USER bob WITH PASSWORD [REDACTED]'],
    ["create user bob with password 'secret' with all privileges", 'create user bob with password [REDACTED] with all privileges'],
    ["CREATE USER bob WITH PASSWORD 'two words'", 'CREATE USER bob WITH PASSWORD [REDACTED]'],
    ["CREATE USER bob WITH PASSWORD 'it\\'s'", 'CREATE USER bob WITH PASSWORD [REDACTED]'],
    ["CREATE USER bob WITH PASSWORD 'unterminated", 'CREATE USER bob WITH PASSWORD [REDACTED]'],
    ['CREATE USER bob WITH PASSWORD bare-word; SHOW USERS', 'CREATE USER bob WITH PASSWORD [REDACTED]; SHOW USERS'],
    ["SET PASSWORD FOR bob = 'secret'", 'SET PASSWORD FOR bob = [REDACTED]'],
    ['set password for "bob smith" = \'a b c\'', 'set password for "bob smith" = [REDACTED]'],
    ["CREATE USER a WITH PASSWORD 'x'; CREATE USER b WITH PASSWORD 'y'", 'CREATE USER a WITH PASSWORD [REDACTED]; CREATE USER b WITH PASSWORD [REDACTED]'],
    ["CREATE USER bob WITH\n  PASSWORD\n  'secret'", 'CREATE USER bob WITH\n  PASSWORD\n  [REDACTED]'],
    ["SELECT * FROM cpu WHERE password = 'shown'", "SELECT * FROM cpu WHERE password = 'shown'"],
    ['CREATE USER bob WITH PASSWORD', 'CREATE USER bob WITH PASSWORD'],
  ])('%j', (line, stored) => {
    expect(redactForHistory(line)).toBe(stored);
    expect(redactForHistory(line)).not.toMatch(/secret|two words|it\\'s|a b c/);
  });

  it.each([['auth'], ['auth bob secret'], ['  AUTH'], [''], ['   ']])('does not store %j', (line) => {
    expect(redactForHistory(line)).toBeNull();
  });

  it('keeps lines that only start like auth', () => {
    expect(redactForHistory('authors')).toBe('authors');
  });
});
