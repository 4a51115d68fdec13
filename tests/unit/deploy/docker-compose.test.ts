import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../../../src/libraries/paths.js';

// No Docker engine runs on these machines: the production files are checked by reading them.
type Service = {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
};

describe('docker-compose.yml (production)', () => {
  const compose = parse(fs.readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
  };
  const mongo = compose.services.mongo!;
  const app = compose.services.app!;

  it('When MongoDB starts, then it is mongo:7 as a single-node replica set on a named volume', () => {
    expect(mongo.image).toMatch(/^mongo:7(\.|$)/);
    expect(mongo.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    const [volumeName] = mongo.volumes![0]!.split(':');
    expect(Object.keys(compose.volumes)).toContain(volumeName);
  });

  it('When the health of MongoDB is checked, then it initiates the set once and is healthy only when primary', () => {
    const script = mongo.healthcheck!.test.join(' ');
    expect(script).toMatch(/rs\.status\(\)/);
    expect(script).toMatch(/rs\.initiate\(/);
    expect(script).toMatch(/isWritablePrimary/);
    expect(script).toMatch(/quit\(1\)/);
  });

  it('When the app starts, then it waits for a healthy MongoDB and connects to the replica set', () => {
    expect(app.build).toBeDefined();
    expect(app.depends_on).toEqual({ mongo: { condition: 'service_healthy' } });
    expect(app.environment!.MONGODB_URI).toBe('mongodb://mongo:27017/coopbadges?replicaSet=rs0');
    expect(app.environment!.NODE_ENV).toBe('production');
    expect(app.healthcheck!.test.join(' ')).toContain('/readyz');
  });

  it('When secrets are missing, then compose refuses to start rather than use a default', () => {
    for (const key of ['PUBLIC_URL', 'SESSION_SECRET', 'MASTER_KEY']) {
      expect(app.environment![key]).toMatch(new RegExp(`^\\$\\{${key}:\\?`));
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = fs.readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8');

  it('When the image is built, then it is multi-stage, runs as a non-root user and checks /readyz', () => {
    expect(dockerfile.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*\/readyz/m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/app\/server\.js"\]$/m);
  });

  it('When the runtime image is assembled, then it carries every folder the app reads at run time', () => {
    for (const dir of ['views', 'locales', 'public', 'badge-templates', 'resources']) {
      expect(dockerfile).toContain(`COPY ${dir} ./${dir}`);
    }
  });
});
