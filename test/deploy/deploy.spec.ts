import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { STORE_CLOSE_GRACE_MS } from '../../apps/ledger-api/src/operations/shutdown.js';

/**
 * Structural checks of deploy/: there is no container engine on the
 * development machines or in CI, so the Dockerfile, the compose files and the
 * Kubernetes manifests are validated as data. Compose files use YAML merge
 * keys (`<<: *anchor`), which Compose resolves; so does `merge: true` here.
 */

const root = resolve(process.cwd());
const deployDir = join(root, 'deploy');
const k8sDir = join(deployDir, 'k8s');

type Json = Record<string, unknown>;

const read = (...parts: string[]) => readFileSync(join(deployDir, ...parts), 'utf8');
const loadCompose = (file: string): Json => parse(read(file), { merge: true }) as Json;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const asObject = (value: unknown, what: string): Json => {
  if (!isObject(value)) throw new Error(`${what} is not a mapping: ${JSON.stringify(value)}`);
  return value;
};

const asArray = (value: unknown, what: string): unknown[] => {
  if (!Array.isArray(value)) throw new Error(`${what} is not a list: ${JSON.stringify(value)}`);
  return value;
};

/** Compose `environment` in either the mapping or the `KEY=value` list form. */
function environmentOf(service: Json): Record<string, string> {
  const env = service.environment;
  if (env === undefined) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const text = String(entry);
        const eq = text.indexOf('=');
        return eq < 0 ? [text, ''] : [text.slice(0, eq), text.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(asObject(env, 'environment')).map(([k, v]) => [k, v == null ? '' : String(v)]),
  );
}

/** Names of the services a service depends on, in either `depends_on` form. */
function dependenciesOf(service: Json): string[] {
  const deps = service.depends_on;
  if (deps === undefined) return [];
  return Array.isArray(deps) ? deps.map(String) : Object.keys(asObject(deps, 'depends_on'));
}

/** The named volumes (short or long syntax) a service mounts, with their targets. */
function namedVolumesOf(service: Json, declared: string[]): { source: string; target: string }[] {
  const mounts = service.volumes === undefined ? [] : asArray(service.volumes, 'volumes');
  return mounts
    .map((mount) => {
      if (typeof mount === 'string') {
        const [source = '', target = ''] = mount.split(':');
        return { source, target };
      }
      const long = asObject(mount, 'volume');
      return { source: String(long.source ?? ''), target: String(long.target ?? '') };
    })
    .filter((m) => declared.includes(m.source));
}

const isEventStoreService = (service: Json) =>
  typeof service.image === 'string' && /eventstore|kurrent/i.test(service.image);
const isPostgresService = (service: Json) =>
  typeof service.image === 'string' && /(^|[/{:-])postgres(:|$|-)/i.test(service.image);

/** Compose durations (`20s`, `1m30s`) in milliseconds. */
function durationMs(text: string): number {
  let ms = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)(ms|s|m|h)/g)) {
    ms += Number(n) * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
  }
  return ms;
}

/** The app's bound on a shutdown: the drain, then the stores' grace. */
const shutdownBoundMs = (timeout: string | undefined) =>
  Number(timeout ?? 10_000) + STORE_CLOSE_GRACE_MS;

describe('deploy/docker-compose.yml (EventStoreDB cluster and API replicas)', () => {
  const compose = loadCompose('docker-compose.yml');
  const services = asObject(compose.services, 'services');
  const declaredVolumes = Object.keys(asObject(compose.volumes ?? {}, 'volumes'));
  const esdbNames = Object.keys(services).filter((name) =>
    isEventStoreService(asObject(services[name], name)),
  );
  const apiNames = ['ledger-api-1', 'ledger-api-2'];

  /** Every address a node can be reached at: service name, hostname, fixed IPs. */
  const addressesOf = (name: string): string[] => {
    const service = asObject(services[name], name);
    const addresses = [name];
    if (typeof service.hostname === 'string') addresses.push(service.hostname);
    if (isObject(service.networks)) {
      for (const net of Object.values(service.networks)) {
        if (isObject(net) && typeof net.ipv4_address === 'string') addresses.push(net.ipv4_address);
      }
    }
    return addresses;
  };

  it('parses and declares services, networks and volumes', () => {
    expect(isObject(compose)).toBe(true);
    expect(Object.keys(services).length).toBeGreaterThanOrEqual(5);
    expect(declaredVolumes.length).toBeGreaterThan(0);
  });

  it('runs exactly three EventStoreDB nodes configured as one cluster', () => {
    expect(esdbNames).toHaveLength(3);
    for (const name of esdbNames) {
      const env = environmentOf(asObject(services[name], name));
      expect(env.EVENTSTORE_CLUSTER_SIZE).toBe('3');
      expect(env.EVENTSTORE_DISCOVER_VIA_DNS).toBe('false');
      expect(env.EVENTSTORE_RUN_PROJECTIONS).toBe('None');
      expect(env.EVENTSTORE_INSECURE).toBe('true');
    }
  });

  it("seeds each node's gossip with the other two nodes", () => {
    for (const name of esdbNames) {
      const env = environmentOf(asObject(services[name], name));
      const seeds = (env.EVENTSTORE_GOSSIP_SEED ?? '').split(',').filter(Boolean);
      expect(seeds).toHaveLength(2);
      const seededNodes = seeds.map((seed) => {
        const [host, port] = seed.split(':');
        expect(port).toBe('2113');
        const node = esdbNames.find((other) => addressesOf(other).includes(host ?? ''));
        if (!node) throw new Error(`${name}: gossip seed ${seed} names no EventStoreDB node`);
        return node;
      });
      expect(seededNodes.sort()).toEqual(esdbNames.filter((other) => other !== name).sort());
    }
  });

  it('gives every node a healthcheck, its own data volume and distinct fixed addresses', () => {
    const dataVolumes = esdbNames.map((name) => {
      const service = asObject(services[name], name);
      expect(service.healthcheck).toBeDefined();
      const data = namedVolumesOf(service, declaredVolumes).find(
        (m) => m.target === '/var/lib/eventstore',
      );
      expect(data).toBeDefined();
      return data!.source;
    });
    expect(new Set(dataVolumes).size).toBe(3);
    const ips = esdbNames.flatMap((name) =>
      addressesOf(name).filter((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a)),
    );
    expect(new Set(ips).size).toBe(ips.length);
  });

  it.each(apiNames)('%s uses the cluster through EventStoreDB', (name) => {
    const service = asObject(services[name], name);
    const env = environmentOf(service);
    expect(env.LEDGER_STORE).toBe('eventstoredb');
    const connection = env.EVENTSTORE_CONNECTION_STRING ?? '';
    expect(connection).toMatch(/^esdb:\/\//);
    const hosts = connection
      .replace(/^esdb:\/\/([^@/]*@)?/, '')
      .split(/[/?]/)[0]!
      .split(',')
      .map((hostPort) => hostPort.split(':')[0]);
    const nodesNamed = esdbNames.filter((node) => addressesOf(node).some((a) => hosts.includes(a)));
    expect(nodesNamed.sort()).toEqual([...esdbNames].sort());
    expect(connection).toContain('tls=false');
  });

  it.each(apiNames)('%s is built from deploy/Dockerfile and checks /health/ready', (name) => {
    const service = asObject(services[name], name);
    const build = asObject(service.build, `${name}.build`);
    expect(resolve(deployDir, String(build.context), String(build.dockerfile))).toBe(
      join(deployDir, 'Dockerfile'),
    );
    expect(JSON.stringify(service.healthcheck)).toContain('/health/ready');
    expect(environmentOf(service).LEDGER_DATA_DIR).toBe('/data');
  });

  it.each(apiNames)(
    '%s gives its shutdown drain time to finish before compose kills it',
    (name) => {
      const service = asObject(services[name], name);
      const grace = durationMs(String(service.stop_grace_period ?? '10s'));
      expect(grace).toBeGreaterThan(
        shutdownBoundMs(environmentOf(service).LEDGER_SHUTDOWN_TIMEOUT_MS),
      );
    },
  );

  describe('PostgreSQL, the state the replicas share', () => {
    const postgresNames = Object.keys(services).filter((name) =>
      isPostgresService(asObject(services[name], name)),
    );
    const postgres = () => asObject(services[postgresNames[0]!], 'postgres');

    it('runs one PostgreSQL with its own data volume and a healthcheck, unpublished', () => {
      expect(postgresNames).toHaveLength(1);
      const service = postgres();
      expect(JSON.stringify(service.healthcheck)).toContain('pg_isready');
      const data = namedVolumesOf(service, declaredVolumes).find(
        (m) => m.target === '/var/lib/postgresql/data',
      );
      expect(data).toBeDefined();
      expect(service.ports).toBeUndefined();
      expect(environmentOf(service).POSTGRES_PASSWORD).toMatch(/^\$\{\w+:\?[^}]*\}$/);
    });

    it.each(apiNames)(
      '%s connects to it, waits for it, and takes the shared secrets from the environment',
      (name) => {
        const service = asObject(services[name], name);
        const env = environmentOf(service);
        // postgres://user:${PASSWORD:?…}@host:5432/db (the interpolation is no valid URL yet)
        const url = /^postgres(?:ql)?:\/\/(\w+):(\$\{\w+:\?[^}]*\})@([^:/]+):(\d+)\/(\w+)$/.exec(
          env.LEDGER_POSTGRES_URL ?? '',
        );
        expect(url).not.toBeNull();
        expect([postgresNames[0], postgres().hostname]).toContain(url![3]);
        expect(env.LEDGER_POSTGRES_SCHEMA).toMatch(/^\w+$/);
        expect(env.LEDGER_PSEUDONYM_KEY).toMatch(/^\$\{LEDGER_PSEUDONYM_KEY:\?[^}]*\}$/);
        const deps = asObject(service.depends_on, 'depends_on');
        expect(asObject(deps[postgresNames[0]!], 'postgres').condition).toBe('service_healthy');
      },
    );

    it('gives both replicas the same shared-state settings', () => {
      const shared = ['LEDGER_POSTGRES_URL', 'LEDGER_POSTGRES_SCHEMA', 'LEDGER_PSEUDONYM_KEY'];
      const [first, ...others] = apiNames.map((name) => {
        const env = environmentOf(asObject(services[name], name));
        return shared.map((key) => env[key]);
      });
      for (const other of others) expect(other).toEqual(first);
    });
  });

  it('.env.example names every variable compose requires', () => {
    const required = [...read('docker-compose.yml').matchAll(/\$\{(\w+):\?/g)].map((m) => m[1]!);
    expect(required.length).toBeGreaterThan(0);
    const example = read('.env.example');
    for (const name of new Set(required)) expect(example).toMatch(new RegExp(`^${name}=`, 'm'));
  });

  it.each(apiNames)('%s takes its API keys from the environment, not from the file', (name) => {
    const keys = environmentOf(asObject(services[name], name)).LEDGER_API_KEYS ?? '';
    expect(keys).toMatch(/^\$\{LEDGER_API_KEYS(:?[?-][^}]*)?\}$/);
  });

  it('gives each API replica its own volume for its read model', () => {
    const sources = apiNames.map((name) => {
      const mounts = namedVolumesOf(asObject(services[name], name), declaredVolumes);
      const data = mounts.find((m) => m.target === '/data');
      expect(data).toBeDefined();
      return data!.source;
    });
    expect(new Set(sources).size).toBe(apiNames.length);
  });

  it.each(apiNames)('%s depends on every node of the cluster', (name) => {
    const service = asObject(services[name], name);
    expect(dependenciesOf(service).sort()).toEqual(expect.arrayContaining(esdbNames));
    const deps = service.depends_on;
    if (isObject(deps)) {
      for (const node of esdbNames) {
        expect(asObject(deps[node], node).condition).toBe('service_healthy');
      }
    }
  });
});

describe('deploy/docker-compose.single.yml (one node for the contract suite)', () => {
  const compose = loadCompose('docker-compose.single.yml');
  const services = asObject(compose.services, 'services');
  const nodes = Object.entries(services).filter(([, s]) =>
    isEventStoreService(asObject(s, 'service')),
  );

  it('runs one insecure EventStoreDB node published on port 2113', () => {
    expect(nodes).toHaveLength(1);
    const service = asObject(nodes[0]![1], 'eventstoredb');
    const env = environmentOf(service);
    expect(env.EVENTSTORE_INSECURE).toBe('true');
    expect(env.EVENTSTORE_CLUSTER_SIZE).toBe('1');
    const ports = asArray(service.ports, 'ports').map(String);
    expect(ports.some((p) => /(^|:)2113:2113$/.test(p))).toBe(true);
    expect(service.healthcheck).toBeDefined();
  });
});

describe('deploy/k8s manifests', () => {
  const files = readdirSync(k8sDir).filter((f) => /\.ya?ml$/.test(f));
  const manifests: { file: string; doc: Json }[] = files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(k8sDir, file), 'utf8')).map((document) => {
      if (document.errors.length > 0) {
        throw new Error(`${file}: ${document.errors.map((e) => e.message).join('; ')}`);
      }
      return { file, doc: asObject(document.toJS(), file) };
    }),
  );
  const resources = manifests.filter((m) => m.doc.kind !== 'Kustomization');
  const ofKind = (kind: string) => resources.filter((m) => m.doc.kind === kind).map((m) => m.doc);
  const one = (kind: string): Json => {
    const found = ofKind(kind);
    expect(found).toHaveLength(1);
    return found[0]!;
  };

  it('every manifest parses into a resource with apiVersion, kind and name', () => {
    expect(resources.length).toBeGreaterThanOrEqual(5);
    for (const { file, doc } of resources) {
      expect({ file, apiVersion: typeof doc.apiVersion }).toEqual({ file, apiVersion: 'string' });
      expect(typeof doc.kind).toBe('string');
      expect(typeof asObject(doc.metadata, `${file} metadata`).name).toBe('string');
    }
    for (const kind of ['Namespace', 'ConfigMap', 'Secret', 'Deployment', 'Service']) {
      expect(ofKind(kind)).toHaveLength(1);
    }
  });

  it('the kustomization lists every resource file', () => {
    const kustomization = manifests.find((m) => m.doc.kind === 'Kustomization');
    expect(kustomization).toBeDefined();
    const listed = asArray(kustomization!.doc.resources, 'resources').map(String).sort();
    expect(listed).toEqual([...new Set(resources.map((m) => m.file))].sort());
  });

  it('keeps non-secret configuration in the ConfigMap and keys and credentials in the Secret', () => {
    const config = asObject(one('ConfigMap').data, 'ConfigMap data');
    expect(config.LEDGER_STORE).toBe('eventstoredb');
    expect(config.PORT).toBe('3000');
    expect(config.LEDGER_POSTGRES_SCHEMA).toMatch(/^\w+$/);
    const secret = asObject(one('Secret').stringData, 'Secret stringData');
    for (const key of [
      'LEDGER_API_KEYS',
      'EVENTSTORE_CONNECTION_STRING',
      'LEDGER_POSTGRES_URL',
      'LEDGER_PSEUDONYM_KEY',
    ]) {
      expect({ key, inConfigMap: key in config }).toEqual({ key, inConfigMap: false });
      expect({ key, type: typeof secret[key] }).toEqual({ key, type: 'string' });
    }
    expect(new URL(String(secret.LEDGER_POSTGRES_URL)).protocol).toMatch(/^postgres(ql)?:$/);
  });

  describe('the Deployment', () => {
    const deployment = one('Deployment');
    const spec = asObject(deployment.spec, 'spec');
    const pod = asObject(asObject(spec.template, 'template').spec, 'pod spec');
    const containers = asArray(pod.containers, 'containers').map((c) => asObject(c, 'container'));
    const container = containers[0]!;
    const ports = asArray(container.ports, 'ports').map((p) => asObject(p, 'port'));
    const podSecurity = asObject(pod.securityContext ?? {}, 'pod securityContext');
    const containerSecurity = asObject(
      container.securityContext ?? {},
      'container securityContext',
    );

    /** A probe or Service port (a number or a port name) resolved to a container port number. */
    const containerPortOf = (port: unknown): number | undefined =>
      typeof port === 'number'
        ? (ports.find((p) => p.containerPort === port)?.containerPort as number | undefined)
        : (ports.find((p) => p.name === port)?.containerPort as number | undefined);

    it("sizes the reader threads to the pod's CPU limit, not the node's cores", () => {
      // The default (cores − 1) counts the node's cores; a reader per core over the limit
      // would only share it, each with its own heap inside the memory limit.
      const limits = asObject(asObject(container.resources, 'resources').limits, 'limits');
      const cpu = String(limits.cpu);
      const cores = cpu.endsWith('m') ? Number(cpu.slice(0, -1)) / 1000 : Number(cpu);
      const readers = Number(asObject(one('ConfigMap').data, 'ConfigMap data').LEDGER_READ_WORKERS);
      expect(Number.isInteger(readers)).toBe(true);
      expect(readers).toBeGreaterThanOrEqual(0);
      expect(readers).toBeLessThanOrEqual(Math.max(1, Math.ceil(cores)));
    });

    it('runs 2 replicas of one container listening on 3000', () => {
      expect(spec.replicas).toBe(2);
      expect(containers).toHaveLength(1);
      expect(ports.map((p) => p.containerPort)).toContain(3000);
    });

    it.each([
      ['readinessProbe', '/health/ready'],
      ['livenessProbe', '/health/live'],
      ['startupProbe', '/health/live'],
    ])('%s calls GET %s on the container port', (probeName, path) => {
      const probe = asObject(container[probeName], probeName);
      const httpGet = asObject(probe.httpGet, `${probeName}.httpGet`);
      expect(httpGet.path).toBe(path);
      expect(containerPortOf(httpGet.port)).toBe(3000);
    });

    it('gives the shutdown drain time to finish within the termination grace period', () => {
      const config = asObject(one('ConfigMap').data, 'ConfigMap data');
      const grace = Number(pod.terminationGracePeriodSeconds ?? 30) * 1000;
      expect(grace).toBeGreaterThan(
        shutdownBoundMs(config.LEDGER_SHUTDOWN_TIMEOUT_MS as string | undefined),
      );
    });

    it('runs as a non-root user with a read-only root filesystem', () => {
      const runAsNonRoot = containerSecurity.runAsNonRoot ?? podSecurity.runAsNonRoot;
      expect(runAsNonRoot).toBe(true);
      const runAsUser = containerSecurity.runAsUser ?? podSecurity.runAsUser;
      if (runAsUser !== undefined) expect(runAsUser).not.toBe(0);
      expect(containerSecurity.readOnlyRootFilesystem).toBe(true);
      expect(containerSecurity.allowPrivilegeEscalation).toBe(false);
    });

    it('mounts a writable emptyDir on /data for the local read model', () => {
      const mounts = asArray(container.volumeMounts, 'volumeMounts').map((m) =>
        asObject(m, 'mount'),
      );
      const data = mounts.find((m) => m.mountPath === '/data');
      expect(data).toBeDefined();
      const volumes = asArray(pod.volumes, 'volumes').map((v) => asObject(v, 'volume'));
      const volume = volumes.find((v) => v.name === data!.name);
      expect(volume?.emptyDir).toBeDefined();
    });

    it('declares resource requests and limits', () => {
      const resourcesSpec = asObject(container.resources, 'resources');
      for (const bound of ['requests', 'limits']) {
        const values = asObject(resourcesSpec[bound], bound);
        expect(values.cpu).toBeDefined();
        expect(values.memory).toBeDefined();
      }
    });

    it('takes its environment from the ConfigMap and the Secret', () => {
      const refs = asArray(container.envFrom, 'envFrom').map((e) => asObject(e, 'envFrom'));
      const names = refs.map((r) => asObject(r.configMapRef ?? r.secretRef, 'ref').name);
      expect(names).toEqual(
        expect.arrayContaining([
          asObject(one('ConfigMap').metadata, 'metadata').name,
          asObject(one('Secret').metadata, 'metadata').name,
        ]),
      );
    });

    it('is selected by the Service, which maps port 80 to the container port', () => {
      const service = asObject(one('Service').spec, 'Service spec');
      const selector = asObject(service.selector, 'selector');
      const labels = asObject(
        asObject(asObject(spec.template, 'template').metadata, 'metadata').labels,
        'labels',
      );
      for (const [key, value] of Object.entries(selector)) expect(labels[key]).toBe(value);
      const servicePorts = asArray(service.ports, 'ports').map((p) => asObject(p, 'port'));
      expect(servicePorts.map((p) => p.port)).toContain(80);
      for (const port of servicePorts) expect(containerPortOf(port.targetPort)).toBe(3000);
    });
  });
});

describe('deploy/Dockerfile', () => {
  // Join continuation lines, drop comments and blank lines.
  const instructions = read('Dockerfile')
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const withKeyword = (keyword: string) =>
    instructions.filter((line) => line.toUpperCase().startsWith(`${keyword} `));

  it('has at least two FROM stages', () => {
    expect(withKeyword('FROM').length).toBeGreaterThanOrEqual(2);
  });

  it('builds with npm ci, npm run build and prunes dev dependencies', () => {
    const runs = withKeyword('RUN').join('\n');
    expect(runs).toContain('npm ci');
    expect(runs).toContain('npm run build');
    expect(runs).toMatch(/npm prune --omit=dev/);
  });

  it('switches to a non-root USER in the final stage', () => {
    const lastFrom = instructions.findLastIndex((line) => /^FROM /i.test(line));
    const users = instructions.slice(lastFrom).filter((line) => /^USER /i.test(line));
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1)!.slice(5).trim().split(':')[0];
    expect(['root', '0', '']).not.toContain(user);
  });

  it('has a HEALTHCHECK against /health/ready, exposes 3000 and starts the built app', () => {
    const healthchecks = withKeyword('HEALTHCHECK');
    expect(healthchecks).toHaveLength(1);
    expect(healthchecks[0]).toContain('/health/ready');
    expect(withKeyword('EXPOSE').join(' ')).toContain('3000');
    expect(JSON.parse(withKeyword('CMD').at(-1)!.slice(4))).toEqual([
      'node',
      'dist/apps/ledger-api/src/main.js',
    ]);
    expect(instructions.join('\n')).toContain('LEDGER_DATA_DIR=/data');
  });

  it('the build context excludes local data, dependencies and secrets', () => {
    const ignore = join(root, '.dockerignore');
    expect(existsSync(ignore)).toBe(true);
    const patterns = readFileSync(ignore, 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim());
    for (const pattern of ['node_modules', 'dist', 'data', '.git', '.env']) {
      expect(patterns).toContain(pattern);
    }
  });
});
