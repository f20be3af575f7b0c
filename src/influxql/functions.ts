// The InfluxQL 1.x function catalogue, for completion (and its menu's detail column).

export type FunctionGroup = 'aggregate' | 'selector' | 'transform' | 'predictor' | 'technical analysis' | 'time';

export interface InfluxFunction {
  name: string;
  group: FunctionGroup;
  args: string;
}

const table: [FunctionGroup, string][] = [
  ['aggregate', 'count(field) distinct(field) integral(field[, unit]) mean(field) median(field) mode(field) spread(field) stddev(field) sum(field)'],
  ['selector', 'bottom(field[, tags…], n) first(field) last(field) max(field) min(field) percentile(field, n) sample(field, n) top(field[, tags…], n)'],
  [
    'transform',
    'abs(field) acos(field) asin(field) atan(field) atan2(y, x) ceil(field) cos(field) cumulative_sum(field) derivative(field[, unit]) difference(field) elapsed(field[, unit]) exp(field) floor(field) histogram(field, bins) ln(field) log(field, base) log2(field) log10(field) moving_average(field, n) non_negative_derivative(field[, unit]) non_negative_difference(field) pow(field, x) round(field) sin(field) sqrt(field) tan(field)',
  ],
  ['predictor', 'holt_winters(agg, n, season) holt_winters_with_fit(agg, n, season)'],
  [
    'technical analysis',
    'chande_momentum_oscillator(field, n) exponential_moving_average(field, n) double_exponential_moving_average(field, n) kaufmans_efficiency_ratio(field, n) kaufmans_adaptive_moving_average(field, n) triple_exponential_moving_average(field, n) triple_exponential_derivative(field, n) relative_strength_index(field, n)',
  ],
  ['time', 'now() time(interval[, offset]) fill(option) tz(zone)'],
];

export const FUNCTIONS: InfluxFunction[] = table.flatMap(([group, list]) => [...list.matchAll(/([a-z_0-9]+)\(([^)]*)\)/g)].map((m) => ({ name: m[1]!, group, args: m[2]! })));

/** Functions that make sense in a select list (not time()/fill()/tz(), which belong to GROUP BY and the tail). */
export const SELECT_FUNCTIONS = FUNCTIONS.filter((f) => f.group !== 'time');
