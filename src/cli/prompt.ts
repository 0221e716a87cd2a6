/**
 * Asks for missing values in a terminal with node:readline. The API key is read without echo.
 */
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { checkPromptedValue, type PromptableField } from './setup-args';

/** Asks for one value; `secret` values are not echoed. */
export type Ask = (field: PromptableField, question: string, secret: boolean) => Promise<string>;

const QUESTIONS: Record<PromptableField, string> = {
  apiKey: '8x8 API key (Chat Gateway product): ',
  webhookUrl: "Your bot's public webhook URL (e.g. https://bot.example.com/api/8x8/webhook): ",
  queueId: 'Chat queue id for escalations: ',
};

/** Asks for each missing field in turn, asking again (up to 3 times) while a value is invalid. */
export async function askMissing(fields: PromptableField[], ask: Ask, err: (line: string) => void): Promise<Partial<Record<PromptableField, string>>> {
  const answers: Partial<Record<PromptableField, string>> = {};
  for (const field of fields) {
    for (let attempt = 1; answers[field] === undefined; attempt += 1) {
      const value = (await ask(field, QUESTIONS[field], field === 'apiKey')).trim();
      const problem = checkPromptedValue(field, value);
      if (!problem) answers[field] = value;
      else if (attempt >= 3) throw new Error(problem);
      else err(problem);
    }
  }
  return answers;
}

/** A terminal {@link Ask} over `input`/`output`; close it when done. */
export function terminalAsk(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): { ask: Ask; close: () => void } {
  let muted = false;
  // readline echoes typed characters to its output; a gate in front of it hides the key.
  const gate = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) output.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input, output: gate, terminal: true });
  const ask: Ask = async (_field, question, secret) => {
    output.write(question);
    muted = secret;
    try {
      return await rl.question('');
    } finally {
      if (secret) output.write('\n');
      muted = false;
    }
  };
  return { ask, close: () => rl.close() };
}
