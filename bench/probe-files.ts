/** A cluster worker's report file (an api with API_PROCESSES > 1): the primary's file name, this, and the worker's pid. */
export const WORKER_FILE_INFIX = '.worker-';
