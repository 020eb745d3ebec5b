// Builds a timeline dataset of a given size in its own database (or reuses a complete one) and
// starts the api on it: shared by the timeline benchmark (1M) and the store-scale benchmark (1M, 10M).
import { databaseExists, recreateDatabase, serverConnection, startBenchApi, type BenchApi } from './bench-api';
import { countsBeforeLoad, datasetIsComplete, loadTimelineDataset, markDatasetComplete, type DatasetShape } from './timeline-dataset';

export interface PreparedDataset {
  readonly bench: BenchApi;
  readonly builtNow: boolean;
  readonly buildSeconds: number | null;
}

export async function prepareTimelineDataset(database: string, shape: DatasetShape, rebuild: boolean, log: (line: string) => void): Promise<PreparedDataset> {
  let complete = false;
  if (!rebuild && (await databaseExists(database))) {
    const conn = await serverConnection(database);
    try {
      complete = await datasetIsComplete(conn);
    } finally {
      await conn.end();
    }
  }
  if (complete) {
    log(`dataset: ${database} already holds the complete dataset; reusing it (--rebuild forces a rebuild)`);
    return { bench: await startBenchApi(database), builtNow: false, buildSeconds: null };
  }
  log(`dataset: building ${database}, ${shape.activities.toLocaleString('en-US')} activities (migrations and seed through the api, then bulk load from seq_1_to_N)`);
  const started = Date.now();
  await recreateDatabase(database);
  const bench = await startBenchApi(database);
  const conn = await serverConnection(database);
  try {
    const before = await countsBeforeLoad(conn);
    await loadTimelineDataset(conn, log, shape);
    const seconds = (Date.now() - started) / 1000;
    await markDatasetComplete(conn, before, seconds, shape);
    log(`dataset: ${database} built in ${seconds.toFixed(0)} s`);
    return { bench, builtNow: true, buildSeconds: seconds };
  } finally {
    await conn.end();
  }
}
