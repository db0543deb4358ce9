import { LapiDecision } from './lapi-decision';
import { LapiFilterError, LapiQuery, matchesLapiFilter, parseLapiFilter } from './lapi-filter';

type Fields = Pick<LapiDecision, 'scope' | 'value' | 'origin' | 'scenario' | 'type'>;

const IP_BAN: Fields = {
  scope: 'Ip',
  value: '203.0.113.7',
  origin: 'soc-triage',
  scenario: 'soc-triage/ssh-brute-force',
  type: 'ban',
};
const RANGE_BAN: Fields = {
  scope: 'Range',
  value: '203.0.113.0/24',
  origin: 'cscli',
  scenario: 'soc-triage/manual',
  type: 'ban',
};
const V6_BAN: Fields = { ...IP_BAN, value: '2001:db8::7' };

describe(parseLapiFilter.name + ' + ' + matchesLapiFilter.name, () => {
  it.each([
    { name: 'no filter', query: {}, ip: true, range: true },
    { name: 'scopes=ip', query: { scopes: 'ip' }, ip: true, range: false },
    { name: 'scopes=Ip,Range (CrowdSec spelling)', query: { scopes: 'Ip,Range' }, ip: true, range: true },
    { name: 'scopes=RANGE (any case)', query: { scopes: 'RANGE' }, ip: false, range: true },
    { name: 'scope=range (singular, also accepted)', query: { scope: 'range' }, ip: false, range: true },
    { name: 'scopes=country matches nothing here', query: { scopes: 'country' }, ip: false, range: false },
    { name: 'origins=cscli', query: { origins: 'cscli' }, ip: false, range: true },
    { name: 'origins=soc-triage,cscli', query: { origins: 'soc-triage,cscli' }, ip: true, range: true },
    { name: 'origins are matched exactly', query: { origins: 'SOC-TRIAGE' }, ip: false, range: false },
    { name: 'scenarios_containing=ssh', query: { scenarios_containing: 'ssh' }, ip: true, range: false },
    {
      name: 'scenarios_containing=BRUTE,manual',
      query: { scenarios_containing: 'BRUTE,manual' },
      ip: true,
      range: true,
    },
    { name: 'scenarios_not_containing=ssh', query: { scenarios_not_containing: 'ssh' }, ip: false, range: true },
    {
      name: 'scenarios_not_containing=ssh,manual',
      query: { scenarios_not_containing: 'ssh,manual' },
      ip: false,
      range: false,
    },
    { name: 'value=203.0.113.7', query: { value: '203.0.113.7' }, ip: true, range: false },
    { name: 'value in another spelling', query: { value: '::ffff:203.0.113.7' }, ip: true, range: false },
    { name: 'value=203.0.113.0/24', query: { value: '203.0.113.0/24' }, ip: false, range: true },
    { name: 'value that is no address', query: { value: 'alice' }, ip: false, range: false },
    { name: 'type=ban', query: { type: 'ban' }, ip: true, range: true },
    { name: 'type=captcha', query: { type: 'captcha' }, ip: false, range: false },
    { name: 'ip=203.0.113.7 (bans that contain it)', query: { ip: '203.0.113.7' }, ip: true, range: true },
    { name: 'ip=203.0.113.8', query: { ip: '203.0.113.8' }, ip: false, range: true },
    { name: 'ip=198.51.100.1', query: { ip: '198.51.100.1' }, ip: false, range: false },
    { name: 'range=203.0.113.0/25 contains', query: { range: '203.0.113.0/25' }, ip: false, range: true },
    {
      name: 'range=203.0.113.0/16&contains=false (bans inside it)',
      query: { range: '203.0.0.0/16', contains: 'false' },
      ip: true,
      range: true,
    },
    { name: 'range with host bits (masked, as Go)', query: { range: '203.0.113.9/24' }, ip: false, range: true },
    {
      name: 'repeated parameter: the first counts',
      query: { origins: ['cscli', 'soc-triage'] },
      ip: false,
      range: true,
    },
    { name: 'unknown parameters are ignored', query: { dedup: 'false', startup: 'true' }, ip: true, range: true },
  ] as { name: string; query: LapiQuery; ip: boolean; range: boolean }[])('$name', ({ query, ip, range }) => {
    const filter = parseLapiFilter(query);
    expect([matchesLapiFilter(IP_BAN, filter), matchesLapiFilter(RANGE_BAN, filter)]).toEqual([ip, range]);
  });

  it('applies a default scope list when none is given (the stream defaults to ip,range)', () => {
    const filter = parseLapiFilter({}, { scopes: 'range' });
    expect([matchesLapiFilter(IP_BAN, filter), matchesLapiFilter(RANGE_BAN, filter)]).toEqual([false, true]);
  });

  it('never matches an IPv6 ban with an IPv4 ip filter', () => {
    expect(matchesLapiFilter(V6_BAN, parseLapiFilter({ ip: '203.0.113.7' }))).toBe(false);
    expect(matchesLapiFilter(V6_BAN, parseLapiFilter({ ip: '2001:db8::7' }))).toBe(true);
  });

  it.each([
    { query: { ip: 'not-an-ip' }, message: /is not an IP address or range/ },
    { query: { range: '203.0.113.0/33' }, message: /is not an IP address or range/ },
    { query: { ip: '203.0.113.7', contains: 'maybe' }, message: /invalid contains value/ },
  ])('refuses $query', ({ query, message }) => {
    expect(() => parseLapiFilter(query)).toThrow(LapiFilterError);
    expect(() => parseLapiFilter(query)).toThrow(message);
  });
});
