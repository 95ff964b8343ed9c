import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/**
 * The part of Kustomize that deploy/k8s uses, to read what an overlay would apply without a
 * `kubectl` on the machine: resources (files and folders, recursively), a ConfigMap
 * generator (with `behavior: merge`), merge patches by file, JSON 6902 patches by target
 * (`replace`, `add`), `images`, `labels` and `namespace`. Generated ConfigMaps keep their
 * plain names (Kustomize adds a hash). Anything else in a kustomization.yaml is refused, so
 * that a field this reader does not know cannot be silently left out of the checks.
 */

export interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  resources?: string[];
  labels?: { pairs: Record<string, string> }[];
  images?: { name: string; newName?: string; newTag?: string }[];
  configMapGenerator?: { name: string; behavior?: 'create' | 'merge'; literals?: string[] }[];
  patches?: ({ path: string } | { target: { group?: string; kind: string }; patch: string })[];
}

const KNOWN = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'resources',
  'labels',
  'images',
  'configMapGenerator',
  'patches',
]);

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every YAML document of a file (comments and `---` separators allowed). */
export function readDocuments(file: string): Resource[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => {
    if (d.errors.length > 0) throw new Error(`${file}: ${d.errors[0].message}`);
    return d.toJS() as Resource;
  });
}

export function readKustomization(dir: string): Kustomization {
  const file = join(dir, 'kustomization.yaml');
  if (!existsSync(file)) throw new Error(`${dir} has no kustomization.yaml`);
  const k = parse(readFileSync(file, 'utf8')) as Kustomization;
  const unknown = Object.keys(k).filter((key) => !KNOWN.has(key));
  if (unknown.length > 0) throw new Error(`${file}: fields not read here: ${unknown.join(', ')}`);
  return k;
}

/** Every file a kustomization names (recursively through the folders it names). */
export function namedFiles(dir: string): string[] {
  const k = readKustomization(dir);
  const own = [
    join(dir, 'kustomization.yaml'),
    ...(k.patches ?? []).flatMap((p) => ('path' in p ? [join(dir, p.path)] : [])),
  ];
  return [
    ...own,
    ...(k.resources ?? []).flatMap((r) => {
      const path = join(dir, r);
      return existsSync(path) && statSync(path).isDirectory() ? namedFiles(path) : [path];
    }),
  ];
}

/** What `kubectl kustomize dir` would print, as objects. */
export function build(dir: string): Resource[] {
  const k = readKustomization(dir);
  const out: Resource[] = [];
  for (const r of k.resources ?? []) {
    const path = join(dir, r);
    if (!existsSync(path)) throw new Error(`${dir}: resource ${r} does not exist`);
    out.push(...(statSync(path).isDirectory() ? build(path) : readDocuments(path)));
  }
  for (const g of k.configMapGenerator ?? []) generateConfigMap(out, g);
  for (const p of k.patches ?? []) {
    if ('path' in p) for (const patch of readDocuments(join(dir, p.path))) mergePatch(out, patch);
    else jsonPatch(out, p.target, parse(p.patch) as JsonOp[]);
  }
  for (const r of out) {
    for (const { pairs } of k.labels ?? []) r.metadata.labels = { ...r.metadata.labels, ...pairs };
    if (k.namespace && r.kind !== 'Namespace') r.metadata.namespace = k.namespace;
    for (const image of k.images ?? []) renameImage(r, image);
  }
  return out;
}

function generateConfigMap(
  out: Resource[],
  g: NonNullable<Kustomization['configMapGenerator']>[0],
) {
  const data = Object.fromEntries(
    (g.literals ?? []).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  const existing = out.find((r) => r.kind === 'ConfigMap' && r.metadata.name === g.name);
  if (g.behavior === 'merge') {
    if (!existing) throw new Error(`configMapGenerator ${g.name}: nothing to merge into`);
    existing.data = { ...(existing.data as Json), ...data };
  } else {
    if (existing) throw new Error(`configMapGenerator ${g.name}: made twice`);
    out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: g.name }, data });
  }
}

function find(out: Resource[], patch: Resource): Resource {
  const r = out.find((x) => x.kind === patch.kind && x.metadata.name === patch.metadata.name);
  if (!r) throw new Error(`patch of ${patch.kind}/${patch.metadata.name}: no such resource`);
  return r;
}

/** Maps merge, anything else (lists included) is replaced, as a JSON merge patch does. */
function merge(target: Json, patch: Json): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete target[key];
    else if (isMap(value) && isMap(target[key])) merge(target[key], value);
    else target[key] = value;
  }
}

function mergePatch(out: Resource[], patch: Resource): void {
  merge(find(out, patch), patch);
}

interface JsonOp {
  op: 'replace' | 'add';
  path: string;
  value: unknown;
}

function jsonPatch(out: Resource[], target: { group?: string; kind: string }, ops: JsonOp[]) {
  const matches = out.filter(
    (r) =>
      r.kind === target.kind &&
      (target.group === undefined || r.apiVersion.split('/')[0] === target.group),
  );
  if (matches.length === 0) throw new Error(`patch: no ${target.kind} to patch`);
  for (const r of matches) {
    for (const op of ops) {
      const keys = op.path
        .split('/')
        .slice(1)
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
      const last = keys.pop()!;
      let node: unknown = r;
      for (const key of keys) node = isMap(node) ? node[key] : undefined;
      if (!isMap(node))
        throw new Error(`patch ${op.path} of ${r.kind}/${r.metadata.name}: no parent`);
      if (op.op === 'replace' && !(last in node))
        throw new Error(`patch replace ${op.path} of ${r.kind}/${r.metadata.name}: no such field`);
      node[last] = op.value;
    }
  }
}

function renameImage(r: Resource, image: NonNullable<Kustomization['images']>[0]): void {
  const pod = (r.spec as { template?: { spec?: { containers?: { image: string }[] } } })?.template
    ?.spec;
  for (const c of pod?.containers ?? []) {
    const [name, tag] = c.image.split(':');
    if (name !== image.name) continue;
    const newTag = image.newTag ?? tag;
    c.image = `${image.newName ?? name}${newTag ? `:${newTag}` : ''}`;
  }
}
