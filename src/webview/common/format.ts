// Display formatting only; every number shown was computed by core. The rules are the shared ones
// (src/format/numbers.ts): the CLI, the exports and the views print figures the same way.
export {
  formatCost,
  formatDuration as formatMs,
  formatPercent,
  formatScore,
  formatTokens,
  formatValue,
} from '../../format/numbers';
