import OpenAI from 'openai';
import { z } from 'zod';
import type { LlmSettings } from '../config.js';

/** The slice of an OpenAI-compatible chat completion we rely on, validated at the boundary. */
const CompletionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable().optional() }) })).min(1),
});

/** A chat message for an OpenAI-compatible `/chat/completions` endpoint. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * A thin client for any OpenAI-compatible chat endpoint (OpenAI, DeepSeek, Qwen, GLM, a local
 * Ollama/vLLM), on the official `openai` SDK: `timeoutMs` per attempt, `maxRetries` retries with the
 * SDK's exponential backoff on 408/409/429/5xx and connection errors, temperature 0.1.
 */
export class ChatModel {
  private readonly client: OpenAI;

  constructor(readonly settings: LlmSettings) {
    this.client = new OpenAI({
      baseURL: settings.baseURL,
      apiKey: settings.apiKey,
      timeout: settings.timeoutMs,
      maxRetries: settings.maxRetries,
    });
  }

  /**
   * Sends the messages and returns the reply text.
   * @throws Error (the SDK's APIError / APIConnectionTimeoutError, or a validation error for a malformed
   * response or an empty reply) once the retries are exhausted.
   */
  async complete(messages: ChatMessage[]): Promise<string> {
    const raw = await this.client.chat.completions.create({ model: this.settings.model, messages, temperature: 0.1 });
    const parsed = CompletionSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`malformed chat completion: ${parsed.error.issues[0]?.message}`);
    const text = parsed.data.choices[0]!.message.content?.trim();
    if (!text) throw new Error('empty chat completion');
    return text;
  }
}
