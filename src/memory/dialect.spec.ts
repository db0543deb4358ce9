import { dialectFor, lockKey, lockStatement } from './dialect';

const sqlite = dialectFor('sqlite');
const postgres = dialectFor('postgres');

describe('Dialect', () => {
  it.each([
    { name: 'no placeholder', sql: 'SELECT 1', expected: 'SELECT 1' },
    { name: 'one', sql: 'SELECT * FROM actors WHERE ip = ?', expected: 'SELECT * FROM actors WHERE ip = $1' },
    {
      name: 'several, in order, with a cast',
      sql: 'SELECT d.id, CAST(? AS BIGINT) FROM decisions d WHERE d.value IN (SELECT jsonb_array_elements_text(?::jsonb)) LIMIT ?',
      expected:
        'SELECT d.id, CAST($1 AS BIGINT) FROM decisions d WHERE d.value IN (SELECT jsonb_array_elements_text($2::jsonb)) LIMIT $3',
    },
  ])('numbers PostgreSQL placeholders: $name', ({ sql, expected }) => {
    expect(postgres.sql(sql)).toBe(expected);
    expect(postgres.sql(postgres.sql(sql))).toBe(expected);
    expect(sqlite.sql(sql)).toBe(sql);
  });

  it.each([
    { dialect: sqlite, expected: '[["a",1,null]]' },
    { dialect: postgres, expected: '[{"ip":"a","n":1,"at":null}]' },
  ])('binds rows as one JSON parameter for $dialect.type', ({ dialect, expected }) => {
    expect(dialect.jsonRows(['ip', 'n', 'at'], [['a', 1, null]])).toBe(expected);
  });

  it.each([
    { dialect: sqlite, row: ['a\u0000b', 1], expected: ['a\u0000b', 1] },
    { dialect: postgres, row: ['a\u0000b\u0000', 1, null], expected: ['a\ufffdb\ufffd', 1, null] },
  ])('keeps what $dialect.type can hold', ({ dialect, row, expected }) => {
    expect(dialect.storable(row)).toEqual(expected);
  });

  it('counts a limited delete in the last statement', () => {
    expect(sqlite.limitedDelete('events', 'event_time < ?').at(-1)).toBe('SELECT changes() AS n');
    expect(postgres.limitedDelete('events', 'event_time < ?')).toHaveLength(1);
    expect(postgres.limitedDelete('events', 'event_time < ?')[0]).toMatch(/RETURNING 1\) SELECT COUNT\(\*\) AS n/);
  });
});

describe(lockStatement.name, () => {
  it('is a signed 64-bit key, the same for the same name, apart for others', () => {
    const key = BigInt(lockKey('192.0.2.1'));
    expect(key >= -(2n ** 63n) && key < 2n ** 63n).toBe(true);
    expect(lockKey('192.0.2.1')).toBe(lockKey('192.0.2.1'));
    expect(lockKey('192.0.2.1')).not.toBe(lockKey('192.0.2.0/24'));
  });

  it('takes each key once, in ascending order, whatever order the names come in', () => {
    const names = ['198.51.100.7', '198.51.100.0/24', '2001:db8::1', '198.51.100.7'];
    const statement = lockStatement(names);
    const keys = (statement?.parameters[0] as string[]).map(BigInt);
    expect(keys).toHaveLength(3);
    expect([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(keys);
    expect(lockStatement([...names].reverse())?.parameters).toEqual(statement?.parameters);
  });

  it('has nothing to lock for no names', () => {
    expect(lockStatement([])).toBeNull();
  });
});
