/** Sizes of one bench run. `scale` multiplies every count and duration; 1 is the documented run. */
export interface BenchPlan {
  scale: number;
  /** Events published as fast as possible to measure events accepted per second. */
  acceptedEvents: number;
  /** Connections the driver publishes events over. */
  publishConnections: number;
  /** Deliveries in each backlog-drain measurement (1 and 10 endpoints). */
  drainDeliveries: number;
  /** Unmeasured requests before each ceiling loop. */
  ceilingWarmUp: number;
  /** Publishing rate of the latency measurement, in events per second (not scaled). */
  latencyRate: number;
  /** Length of the latency measurement in milliseconds. */
  latencyDurationMs: number;
  /** Unmeasured publishing at the same rate before it, to warm up the freshly started server, in milliseconds. */
  latencyWarmUpMs: number;
  /** Pending deliveries when the server starts in the memory measurement. */
  pendingDeliveries: number;
  /** Endpoints those pending deliveries are spread over. */
  pendingEndpoints: number;
  /** A wait fails when no new delivery arrived for this long, in milliseconds (not scaled). */
  stallMs: number;
}

/** The plan for `scale` (1 for the documented run, smaller for a quick check of the bench itself). */
export function benchPlan(scale: number): BenchPlan {
  const scaled = (count: number) => Math.max(10, Math.round(count * scale));
  return {
    scale,
    acceptedEvents: scaled(10_000),
    publishConnections: 32,
    drainDeliveries: scaled(40_000),
    ceilingWarmUp: scaled(1_000),
    latencyRate: 1_000,
    latencyDurationMs: Math.max(1_000, Math.round(10_000 * scale)),
    latencyWarmUpMs: Math.max(500, Math.round(5_000 * scale)),
    pendingDeliveries: scaled(100_000),
    pendingEndpoints: 10,
    stallMs: 15_000,
  };
}
