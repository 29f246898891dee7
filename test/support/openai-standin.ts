/**
 * A stand-in for an OpenAI-compatible API (`/v1/chat/completions`, `/v1/embeddings`) on 127.0.0.1,
 * used through the real `openai` SDK and `@langchain/openai`. Records every request; the reply of the
 * chat endpoint is a function of the request, and failures (status codes, delays) can be injected.
 * A chat request with `stream: true` is answered as server-sent events the way OpenAI streams
 * (https://platform.openai.com/docs/api-reference/chat-streaming): `data: {chat.completion.chunk}` lines whose
 * `choices[0].delta.content` carry the reply in pieces of {@link OpenAiStandin.streamPieceChars} characters,
 * {@link OpenAiStandin.streamPieceDelayMs} apart, a last chunk with `finish_reason: "stop"`, then `data: [DONE]`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OpenAiRequest {
  path: string;
  body: any;
}

export class OpenAiStandin {
  readonly requests: OpenAiRequest[] = [];
  /** Produces the assistant message for a chat request (default: cites passage [1]). */
  chatReply: (body: any) => string = () => '根据资料作答 [1]';
  /** Status to answer the next chat requests with (consumed one per request). */
  private failures: number[] = [];
  /** When true, `/embeddings` answers 503 (an embedding endpoint that is down). */
  embeddingsDown = false;
  /** Milliseconds to wait before answering chat requests. */
  chatDelayMs = 0;
  /** Characters per streamed chunk (`stream: true`). */
  streamPieceChars = 3;
  /** Milliseconds between streamed chunks. */
  streamPieceDelayMs = 5;
  /** After this many streamed pieces the stream stalls: the connection stays open and nothing more is sent. */
  streamStallAfterPieces = Infinity;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<OpenAiStandin> {
    let self!: OpenAiStandin;
    const server = createServer((req, res) => void self.handle(req, res));
    self = new OpenAiStandin(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  failNext(count: number, status: number): void {
    for (let i = 0; i < count; i++) this.failures.push(status);
  }

  chatRequests(): OpenAiRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/chat/completions'));
  }

  embeddedTexts(): string[] {
    return this.requests.filter((r) => r.path.endsWith('/embeddings')).flatMap((r) => r.body.input as string[]);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    const path = (req.url ?? '').split('?')[0]!;
    this.requests.push({ path, body });
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (path.endsWith('/embeddings') && this.embeddingsDown) return send(503, { error: { message: 'injected 503', type: 'server_error' } });
    if (path.endsWith('/embeddings')) {
      // deterministic 8-dimensional vectors from character codes, enough for the index plumbing
      const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
      const data = inputs.map((text, index) => {
        const v = new Array(8).fill(0);
        for (let i = 0; i < text.length; i++) v[text.charCodeAt(i) % 8] += 1;
        const n = Math.hypot(...v) || 1;
        const unit = v.map((x) => x / n);
        // the openai SDK asks for base64 (little-endian float32) unless told otherwise
        const embedding = body.encoding_format === 'base64' ? Buffer.from(new Float32Array(unit).buffer).toString('base64') : unit;
        return { object: 'embedding', index, embedding };
      });
      return send(200, { object: 'list', data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } });
    }
    if (path.endsWith('/chat/completions')) {
      const status = this.failures.shift();
      if (status) return send(status, { error: { message: `injected ${status}`, type: 'server_error' } });
      if (this.chatDelayMs) await new Promise((r) => setTimeout(r, this.chatDelayMs));
      if (res.destroyed) return;
      if (body.stream === true) return this.streamReply(res, body.model, this.chatReply(body));
      return send(200, {
        id: 'chatcmpl-standin',
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: this.chatReply(body) }, finish_reason: 'stop' }],
      });
    }
    send(404, { error: { message: 'not found' } });
  }

  private async streamReply(res: ServerResponse, model: string, reply: string): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const chunk = (delta: Record<string, string>, finish: string | null) =>
      `data: ${JSON.stringify({ id: 'chatcmpl-standin', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    res.write(chunk({ role: 'assistant', content: '' }, null));
    const chars = [...reply];
    for (let i = 0, n = 0; i < chars.length; i += this.streamPieceChars, n++) {
      if (res.destroyed) return;
      if (n >= this.streamStallAfterPieces) {
        await new Promise((r) => res.once('close', r));
        return;
      }
      res.write(chunk({ content: chars.slice(i, i + this.streamPieceChars).join('') }, null));
      if (this.streamPieceDelayMs) await new Promise((r) => setTimeout(r, this.streamPieceDelayMs));
    }
    res.write(chunk({}, 'stop'));
    res.end('data: [DONE]\n\n');
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
