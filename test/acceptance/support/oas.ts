/**
 * This suite's own oracle over 8x8's OpenAPI file (ajv + js-yaml, strict false, formats off, as
 * REFERENCE.md advises): is a status declared for an operation, and does a body match its schema.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import yaml from 'js-yaml';

export const SPEC_FILE = path.resolve(__dirname, '../../../../shared/8x8/chat-gateway-v1.oas.yml');

type Json = Record<string, unknown>;
const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export class Oas {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  private readonly spec: Json;

  constructor() {
    this.spec = yaml.load(fs.readFileSync(SPEC_FILE, 'utf8')) as Json;
    this.ajv.addSchema(this.spec, 'spec');
  }

  /** The path template matching a concrete path, e.g. /chat-gateway/v1/conversations/{conversationId}. */
  template(method: string, concrete: string): string {
    const paths = this.spec.paths as Record<string, Json>;
    const candidates = Object.keys(paths).filter((t) => {
      if (!paths[t][method.toLowerCase()]) return false;
      const re = new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      return re.test(concrete);
    });
    // Prefer the most literal template (fewest parameters).
    candidates.sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
    if (!candidates[0]) throw new Error(`no operation for ${method} ${concrete}`);
    return candidates[0];
  }

  /** Problems of a response (empty when it conforms): undeclared status, or body not matching. */
  checkResponse(method: string, concrete: string, status: number, body: unknown, contentType?: string): string[] {
    const t = this.template(method, concrete);
    const pointer = `#/paths/${escape(t)}/${method.toLowerCase()}/responses`;
    const responses = (this.spec.paths as Record<string, Record<string, Json>>)[t][method.toLowerCase()].responses as Record<string, Json>;
    if (!responses[String(status)]) return [`status ${status} is not declared for ${method} ${t} (declared: ${Object.keys(responses).join(', ')})`];
    let response = responses[String(status)];
    let base = `${pointer}/${status}`;
    if (typeof response.$ref === 'string') {
      base = response.$ref;
      response = this.resolve(response.$ref);
    }
    const content = response.content as Record<string, Json> | undefined;
    if (!content) return body === undefined || body === '' ? [] : [`${status} declares no body but one was sent`];
    const media = contentType?.split(';')[0].trim();
    const key = media && content[media] ? media : Object.keys(content)[0];
    if (media && !content[media] && !(media === 'application/json' || media.endsWith('+json'))) return [`content type ${media} not declared (${Object.keys(content).join(', ')})`];
    const validate = this.ajv.compile({ $ref: `spec${base}/content/${escape(key)}/schema` });
    if (validate(body)) return [];
    return (validate.errors ?? [])
      .map((e) => `${e.instancePath} ${e.message}`);
  }

  /** Problems of a request body against the operation's JSON request schema. */
  checkRequest(method: string, concrete: string, body: unknown): string[] {
    const t = this.template(method, concrete);
    const op = (this.spec.paths as Record<string, Record<string, Json>>)[t][method.toLowerCase()];
    let rb = op.requestBody as Json | undefined;
    let base = `#/paths/${escape(t)}/${method.toLowerCase()}/requestBody`;
    if (!rb) return [];
    if (typeof rb.$ref === 'string') {
      base = rb.$ref;
      rb = this.resolve(rb.$ref);
    }
    const validate = this.ajv.compile({ $ref: `spec${base}/content/application~1json/schema` });
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  }

  private resolve(ref: string): Json {
    let node: unknown = this.spec;
    for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    return node as Json;
  }
}
