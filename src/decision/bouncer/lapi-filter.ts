import { contains, decisionTarget, IpRange, rangeOf } from '../management/coverage';
import { LapiDecision } from './lapi-decision';

/** Query parameters as fastify hands them over: a repeated parameter is an array. */
export type LapiQuery = Record<string, string | string[] | undefined>;

/** CrowdSec's decision filters (pkg/database/decisionfilter.go), parsed. */
export interface LapiFilter {
  scopes?: string[];
  origins?: string[];
  scenariosContaining?: string[];
  scenariosNotContaining?: string[];
  value?: string;
  type?: string;
  range?: IpRange;
  /** true: decisions that contain `range`; false: decisions inside it. */
  contains: boolean;
}

/** A filter CrowdSec would refuse (a bad `ip`, `range` or `contains`): answered with a 400. */
export class LapiFilterError extends Error {}

/** CrowdSec matches these scope names in any case and stores them in this one. */
const SCOPE_NAMES: Readonly<Record<string, string>> = { ip: 'Ip', range: 'Range', country: 'Country', as: 'AS' };

/** Go's strconv.ParseBool. */
const GO_BOOLEANS: Readonly<Record<string, boolean>> = {
  '1': true,
  t: true,
  T: true,
  true: true,
  TRUE: true,
  True: true,
  '0': false,
  f: false,
  F: false,
  false: false,
  FALSE: false,
  False: false,
};

/** Like Go's `url.Values.Get`: the first value of a repeated parameter. */
function first(query: LapiQuery, name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value[0] : value;
}

function list(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(',');
}

/** A value filter in our canonical spelling when it is an address or network, as given otherwise. */
function canonicalValue(text: string): string {
  try {
    return decisionTarget(text).value;
  } catch {
    return text;
  }
}

/**
 * The filters of `GET /v1/decisions` and `/v1/decisions/stream`, read as CrowdSec reads them:
 * `scope`/`scopes` (comma list, any case), `origins` (comma list), `scenarios_containing` and
 * `scenarios_not_containing` (comma lists of words, any case), `value`, `type`, `ip` or
 * `range` with `contains` (default true). Unknown parameters are ignored, as CrowdSec does.
 */
export function parseLapiFilter(query: LapiQuery, defaults: { scopes?: string } = {}): LapiFilter {
  const scopes = first(query, 'scopes') ?? first(query, 'scope') ?? defaults.scopes;
  const containsText = first(query, 'contains');
  if (containsText !== undefined && !(containsText in GO_BOOLEANS)) {
    throw new LapiFilterError(`invalid contains value: ${JSON.stringify(containsText.slice(0, 32))} is not a boolean`);
  }
  const ipText = first(query, 'ip') ?? first(query, 'range');
  const range = ipText === undefined ? undefined : rangeOf(ipText);
  if (range === null) {
    throw new LapiFilterError(`${JSON.stringify(ipText?.slice(0, 64))} is not an IP address or range`);
  }
  const value = first(query, 'value');
  return {
    scopes: list(scopes)?.map((scope) => SCOPE_NAMES[scope.toLowerCase()] ?? scope),
    origins: list(first(query, 'origins')),
    scenariosContaining: list(first(query, 'scenarios_containing'))?.map((word) => word.toLowerCase()),
    scenariosNotContaining: list(first(query, 'scenarios_not_containing'))?.map((word) => word.toLowerCase()),
    value: value === undefined ? undefined : canonicalValue(value),
    type: first(query, 'type'),
    range,
    contains: containsText === undefined ? true : GO_BOOLEANS[containsText],
  };
}

export function matchesLapiFilter(
  decision: Pick<LapiDecision, 'scope' | 'value' | 'origin' | 'scenario' | 'type'>,
  filter: LapiFilter,
): boolean {
  const scenario = decision.scenario.toLowerCase();
  if (
    (filter.scopes !== undefined && !filter.scopes.includes(decision.scope)) ||
    (filter.origins !== undefined && !filter.origins.includes(decision.origin)) ||
    (filter.scenariosContaining !== undefined && !filter.scenariosContaining.some((w) => scenario.includes(w))) ||
    (filter.scenariosNotContaining !== undefined && filter.scenariosNotContaining.some((w) => scenario.includes(w))) ||
    (filter.value !== undefined && filter.value !== decision.value) ||
    (filter.type !== undefined && filter.type !== decision.type)
  ) {
    return false;
  }
  if (filter.range === undefined) {
    return true;
  }
  const own = rangeOf(decision.value);
  return own !== null && (filter.contains ? contains(own, filter.range) : contains(filter.range, own));
}
