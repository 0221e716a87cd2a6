/**
 * 8x8's own OpenAPI file as a contract oracle: validates request bodies the client sends and
 * responses the emulator returns. The file is read from ../shared/8x8 and never copied here.
 *
 * The file is loose in places (x-extensible-enum, maxLength on arrays, `format: string`), so ajv
 * runs with unknown keywords and formats ignored, as REFERENCE.md advises.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import yaml from 'js-yaml';

/** Where the contract file lives, relative to the project root. */
export const SPEC_PATH = path.resolve(__dirname, '../../../shared/8x8/chat-gateway-v1.oas.yml');

/** True when the spec is present. CI always has it; a user's clone may not. */
export function specAvailable(): boolean {
  return fs.existsSync(SPEC_PATH);
}

/**
 * `describe` for contract suites. With the spec present it is a plain `describe`. Without it the
 * suite's body is never called (so nothing reads the missing file), one line says what was skipped
 * and why, and the suite shows as skipped; `REQUIRE_8X8_SPEC=1` (set by `.ci/run`) makes it fail.
 */
export function describeContract(name: string, fn: () => void): void {
  describeNeedingShared(SPEC_PATH, "8x8's OpenAPI file", name, fn);
}

/**
 * `describe` for a suite that reads `file` from ../shared (what {@link describeContract} does for
 * the OpenAPI file): plain `describe` when the file is there; otherwise one `[contract] skipped`
 * line and a skipped suite whose body never runs, or a failing suite under `REQUIRE_8X8_SPEC=1`.
 */
export function describeNeedingShared(file: string, what: string, name: string, fn: () => void): void {
  if (fs.existsSync(file)) {
    describe(name, fn);
    return;
  }
  const needs = `needs ../shared/${path.relative(path.resolve(__dirname, '../../../shared'), file)}`;
  if (process.env.REQUIRE_8X8_SPEC === '1') {
    describe(name, () => {
      it(needs, () => {
        throw new Error(`${what} missing at ${file}; REQUIRE_8X8_SPEC=1 requires it`);
      });
    });
    return;
  }
  // process.stdout.write, not console.warn: one line, without jest's stack-trace decoration.
  process.stdout.write(`[contract] skipped "${name}": ${what} is not at ${file} (put ../shared/8x8 beside the project to run it)\n`);
  describe.skip(name, () => {
    it(needs, () => undefined);
  });
}

type Json = Record<string, unknown>;

interface Operation {
  template: string;
  method: string;
  pointer: string;
  op: Json;
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Loaded spec with request and response validation. */
export class OpenApiContract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly operations: Operation[] = [];

  private constructor(private readonly spec: Json) {
    this.ajv.addSchema(spec, 'oas');
    const paths = spec.paths as Record<string, Record<string, Json>>;
    for (const [template, item] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        this.operations.push({ template, method, pointer: `#/paths/${escapePointer(template)}/${method}`, op });
      }
    }
  }

  /** Reads and parses the spec (js-yaml: the stricter `yaml` package rejects it). */
  static load(): OpenApiContract {
    return new OpenApiContract(yaml.load(fs.readFileSync(SPEC_PATH, 'utf8')) as Json);
  }

  /** Every operation as `METHOD template`, for coverage checks. */
  operationKeys(): string[] {
    return this.operations.map((o) => `${o.method.toUpperCase()} ${o.template}`);
  }

  /** Finds the operation for a concrete path such as `/chat-gateway/v1/conversations/abc/messages`. */
  findOperation(method: string, concretePath: string): Operation {
    const pathname = concretePath.split('?')[0]!;
    const m = method.toLowerCase();
    const candidates = this.operations.filter((o) => o.method === m && templateMatches(o.template, pathname));
    // Prefer the most literal template (`/webhooks/verify` over `/webhooks/{webhookId}`).
    candidates.sort((a, b) => literalLength(b.template) - literalLength(a.template));
    const found = candidates[0];
    if (!found) throw new Error(`no operation in the spec for ${method.toUpperCase()} ${pathname}`);
    return found;
  }

  /** Validates a JSON request body; returns the errors (empty when valid). */
  validateRequest(method: string, concretePath: string, body: unknown): string[] {
    const op = this.findOperation(method, concretePath);
    const { pointer } = this.deref(`${op.pointer}/requestBody`);
    const schemaPointer = `${pointer}/content/application~1json/schema`;
    return this.run(schemaPointer, body);
  }

  /**
   * Validates a response: the status must be declared for the operation (explicitly; `default`
   * counts only for statuses >= 400), and a JSON body must match the declared schema.
   */
  validateResponse(method: string, concretePath: string, status: number, body: unknown, contentType?: string): string[] {
    const op = this.findOperation(method, concretePath);
    const responses = op.op.responses as Record<string, unknown>;
    const key = String(status) in responses ? String(status) : status >= 400 && 'default' in responses ? 'default' : undefined;
    if (!key) return [`status ${status} is not declared for ${op.method.toUpperCase()} ${op.template} (declared: ${Object.keys(responses).join(', ')})`];
    const { pointer, node } = this.deref(`${op.pointer}/responses/${key}`);
    const content = node.content as Record<string, Json> | undefined;
    if (!content) return body === undefined || body === '' ? [] : [`${status} declares no body but one was returned`];
    const types = Object.keys(content);
    const mediaType = contentType?.split(';')[0]?.trim();
    const chosen = mediaType && types.includes(mediaType) ? mediaType : types[0]!;
    const errors: string[] = [];
    if (mediaType && !types.includes(mediaType)) errors.push(`content-type ${mediaType} not declared (declared: ${types.join(', ')})`);
    if (!content[chosen]!.schema || chosen === 'application/octet-stream') return errors;
    return errors.concat(this.run(`${pointer}/content/${escapePointer(chosen)}/schema`, body));
  }

  private run(pointer: string, data: unknown): string[] {
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `oas${pointer}` });
      this.compiled.set(pointer, validate);
    }
    if (validate(data)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'invalid'}`);
  }

  /** Follows `$ref`s of request-body and response objects to their JSON pointer. */
  private deref(pointer: string): { pointer: string; node: Json } {
    let current = pointer;
    for (let i = 0; i < 10; i++) {
      const node = this.at(current);
      const ref = node.$ref;
      if (typeof ref !== 'string') return { pointer: current, node };
      current = ref;
    }
    throw new Error(`$ref loop at ${pointer}`);
  }

  private at(pointer: string): Json {
    let node: unknown = this.spec;
    for (const raw of pointer.replace(/^#\//, '').split('/')) {
      const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      node = (node as Json)[part];
      if (node === undefined) throw new Error(`no node at ${pointer}`);
    }
    return node as Json;
  }
}

function templateMatches(template: string, pathname: string): boolean {
  const t = template.split('/');
  const p = pathname.split('/');
  return t.length === p.length && t.every((seg, i) => seg.startsWith('{') || seg === p[i]);
}

function literalLength(template: string): number {
  return template.split('/').filter((s) => !s.startsWith('{')).length;
}
