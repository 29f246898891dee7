import type OpenAI from 'openai';
import { z } from 'zod';
import type { LlmSettings } from '../config.js';

/** The slice of an OpenAI-compatible chat completion we rely on, validated at the boundary. */
const CompletionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable().optional() }) })).min(1),
});

/** The slice of a streamed chunk (`stream: true`, server-sent events) we rely on. */
const ChunkSchema = z.object({
  choices: z.array(z.object({ delta: z.object({ content: z.string().nullable().optional() }).optional() })),
});

/** Options of {@link ChatModel.complete}. */
export interface CompleteOptions {
  /**
   * Streams the reply (`stream: true`) and calls this with the text received so far (untrimmed, unchecked)
   * after every chunk that adds to it. The returned promise still resolves to the whole reply.
   */
  onText?: (textSoFar: string) => void;
}

/** A chat message for an OpenAI-compatible `/chat/completions` endpoint. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * A thin client for any OpenAI-compatible chat endpoint (OpenAI, DeepSeek, Qwen, GLM, a local
 * Ollama/vLLM), on the official `openai` SDK: `timeoutMs` per attempt, `maxRetries` retries with the
 * SDK's exponential backoff on 408/409/429/5xx and connection errors, temperature 0.1. The SDK is loaded on the
 * first request (150 modules that a command answering offline never needs).
 */
export class ChatModel {
  private clientPromise?: Promise<OpenAI>;

  constructor(readonly settings: LlmSettings) {}

  private client(): Promise<OpenAI> {
    this.clientPromise ??= import('openai').then(
      ({ default: OpenAI }) =>
        new OpenAI({
          baseURL: this.settings.baseURL,
          apiKey: this.settings.apiKey,
          timeout: this.settings.timeoutMs,
          maxRetries: this.settings.maxRetries,
        }),
    );
    return this.clientPromise;
  }

  /**
   * Sends the messages and returns the reply text (trimmed); with `options.onText` the reply is streamed
   * and reported as it grows.
   * @throws Error (the SDK's APIError / APIConnectionTimeoutError, or a validation error for a malformed
   * response or an empty reply) once the retries are exhausted; a stream cut off midway throws too.
   */
  async complete(messages: ChatMessage[], options: CompleteOptions = {}): Promise<string> {
    if (options.onText) return this.stream(messages, options.onText);
    const raw = await (await this.client()).chat.completions.create({ model: this.settings.model, messages, temperature: 0.1 });
    const parsed = CompletionSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`malformed chat completion: ${parsed.error.issues[0]?.message}`);
    const text = parsed.data.choices[0]!.message.content?.trim();
    if (!text) throw new Error('empty chat completion');
    return text;
  }

  /**
   * The streamed request. The SDK's timeout ends when the response starts, so a stream that stalls is
   * aborted here when no chunk arrives for `timeoutMs`.
   */
  private async stream(messages: ChatMessage[], onText: (textSoFar: string) => void): Promise<string> {
    const idle = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => idle.abort(new Error(`chat completion stream stalled for ${this.settings.timeoutMs} ms`)), this.settings.timeoutMs);
    };
    try {
      const chunks = await (await this.client()).chat.completions.create({ model: this.settings.model, messages, temperature: 0.1, stream: true }, { signal: idle.signal });
      let text = '';
      arm();
      for await (const raw of chunks) {
        arm();
        const parsed = ChunkSchema.safeParse(raw);
        if (!parsed.success) throw new Error(`malformed chat completion chunk: ${parsed.error.issues[0]?.message}`);
        const delta = parsed.data.choices[0]?.delta?.content;
        if (!delta) continue;
        text += delta;
        onText(text);
      }
      // the SDK ends the iteration quietly when the request is aborted
      if (idle.signal.aborted) throw idle.signal.reason instanceof Error ? idle.signal.reason : new Error('chat completion stream aborted');
      const reply = text.trim();
      if (!reply) throw new Error('empty chat completion');
      return reply;
    } finally {
      clearTimeout(timer);
    }
  }
}
