import { describe, expect, it } from 'vitest';
import { destructiveReason } from '../../src/shell/guard.js';

describe('destructiveReason', () => {
  it.each([
    ['DROP DATABASE telegraf', 'DROP DATABASE telegraf deletes the database and all of its data'],
    ['drop database "my db";', 'DROP DATABASE "my db" deletes the database and all of its data'],
    ['DROP MEASUREMENT cpu', "DROP MEASUREMENT cpu deletes all of the measurement's data and series"],
    ["DROP SERIES FROM cpu WHERE host = 'a'", 'DROP SERIES deletes the matching series from cpu and their data'],
    ['DROP SERIES FROM cpu', 'DROP SERIES deletes all series from cpu and their data'],
    ["DROP SERIES WHERE host = 'a'", 'DROP SERIES deletes the matching series from every measurement and their data'],
    ['DROP RETENTION POLICY "one week" ON telegraf', 'DROP RETENTION POLICY "one week" ON telegraf deletes the policy and all of its data'],
    ['DROP SHARD 12', 'DROP SHARD 12 deletes the shard and its data'],
    ['DELETE FROM cpu', 'DELETE without WHERE deletes every point of cpu'],
    ['DELETE FROM "db"."rp"."cpu"', 'DELETE without WHERE deletes every point of "db"."rp"."cpu"'],
    ['delete', 'DELETE without WHERE deletes every point in the database'],
    ['DELETE FROM cpu WHERE time < now() - 30d', null],
    ["DELETE WHERE host = 'a'", null],
    ['SELECT * FROM cpu', null],
    ['DROP USER bob', null],
    ['DROP CONTINUOUS QUERY cq ON db', null],
    ['SHOW DATABASES', null],
    ["SELECT * FROM cpu WHERE note = 'DROP DATABASE x'", null],
    ['-- DROP DATABASE x\nSHOW DATABASES', null],
    ['/* DROP MEASUREMENT x */ SELECT 1', null],
    ['', null],
  ])('%j', (text, reason) => {
    expect(destructiveReason(text)).toBe(reason);
  });

  it('looks at every statement of a multi-statement unit', () => {
    expect(destructiveReason('SHOW DATABASES; DROP MEASUREMENT cpu; SELECT 1; DELETE FROM mem')).toBe(
      "DROP MEASUREMENT cpu deletes all of the measurement's data and series; DELETE without WHERE deletes every point of mem",
    );
  });

  it('sees a statement spread over lines with comments', () => {
    expect(destructiveReason('DROP -- really\n  DATABASE\n  /* yes */ telegraf')).toBe('DROP DATABASE telegraf deletes the database and all of its data');
  });
});
