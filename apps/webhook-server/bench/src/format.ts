// Number formats of the report.

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A count with thousands separators, such as `20,000`. */
export function formatCount(value: number): string {
  return grouped.format(value);
}

/** A rate such as `3,412/s`. */
export function formatRate(value: number): string {
  return `${grouped.format(value)}/s`;
}

/** Milliseconds as `0.8 ms`, `12 ms` or `4.31 s`. */
export function formatMs(value: number): string {
  if (!Number.isFinite(value)) {
    return 'n/a';
  }
  if (value >= 1_000) {
    return `${(value / 1_000).toFixed(2)} s`;
  }
  return value >= 10 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
}

/** Bytes in megabytes of 10^6 bytes, the unit of the memory target: `182.4 MB`. */
export function formatMegabytes(value: number | undefined): string {
  return value === undefined ? 'not measured' : `${(value / 1e6).toFixed(1)} MB`;
}

/** A share such as `0.43`, rounded down so that a shown value never passes a target the exact one misses. */
export function formatRatio(value: number): string {
  return (Math.floor(value * 100) / 100).toFixed(2);
}

/** Average cores such as `1.2 cores`; `n/a` when unknown. */
export function formatCores(value: number | undefined): string {
  return value === undefined ? 'n/a' : `${value.toFixed(2)} cores`;
}
