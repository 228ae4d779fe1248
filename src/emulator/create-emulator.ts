/**
 * The OpenRouter emulator's HTTP server (node:http: it must stay cheap per request, see
 * docs/performance.md). Routes: GET /api/v1/models, POST /api/v1/chat/completions,
 * GET /api/v1/generation, /key, /credits, and the control endpoints under /__emulator/.
 * Vendor dialects (dialects/dialect-routes.ts): POST /v1/chat/completions (OpenAI),
 * /v1/messages (Anthropic), /v1beta/models/{model}:generateContent|streamGenerateContent (Gemini,
 * also under /v1/).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendCredits, sendGeneration, sendKey } from './account-routes.ts';
import { handleCatalogRoute } from './catalog-routes.ts';
import { handleChatCompletions, type ChatRouteContext } from './chat-completions-route.ts';
import { createEmulatorCatalogue, type EmulatorCatalogue } from './emulator-catalogue.ts';
import { createGenerationIdGenerator } from './emulator-ids.ts';
import { createEmulatorLedger, type EmulatorLedger } from './emulator-ledger.ts';
import type { Emulator, EmulatorOptions } from './emulator-types.ts';
import { createFaultStore, parseFault, type FaultStore } from './fault-store.ts';
import { bearerKey, readBody, sendJson } from './http-io.ts';
import { missingCredentialsBody, unknownKeyBody } from './openrouter-error-body.ts';
import { createRecordingMatcher } from './recording-matcher.ts';
import {
  createDialectRecordingMatcher,
  type DialectRecordingMatcher,
} from './dialects/dialect-recordings.ts';
import { routeDialectRequest } from './dialects/dialect-routes.ts';

const API = '/api/v1';
const DEFAULT_LEDGER_LIMIT = 100_000;

interface Services extends ChatRouteContext {
  apiKeys: ReadonlySet<string> | null;
  faults: FaultStore;
  ledger: EmulatorLedger;
  /** Vendor-dialect recordings (OpenAI, Anthropic, Gemini); null when replay is off. */
  recordings: DialectRecordingMatcher | null;
}

/** The caller's key, or null after answering 401 (the real bodies for a missing and an unknown key). */
function authenticate(
  services: Services,
  request: IncomingMessage,
  response: ServerResponse,
): string | null {
  const key = bearerKey(request);
  if (key === null) {
    sendJson(response, 401, missingCredentialsBody);
    return null;
  }
  if (services.apiKeys !== null && !services.apiKeys.has(key)) {
    sendJson(response, 401, unknownKeyBody);
    return null;
  }
  return key;
}

async function handleControl(
  services: Services,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
): Promise<void> {
  const route = `${request.method ?? ''} ${path}`;
  if (route === 'POST /__emulator/faults') {
    try {
      const fault = parseFault(JSON.parse(await readBody(request)));
      services.faults.add(fault);
      sendJson(response, 201, { data: fault });
    } catch (error) {
      const message = error instanceof Error ? error.message : 'Invalid fault.';
      sendJson(response, 400, { error: { message, code: 400 } });
    }
    return;
  }
  if (route === 'DELETE /__emulator/faults') services.faults.clear();
  else if (route === 'DELETE /__emulator/ledger') services.ledger.clear();
  else if (route === 'GET /__emulator/ledger') {
    sendJson(response, 200, { data: services.ledger.entries });
    return;
  } else {
    sendJson(response, 404, { error: { message: 'Not Found', code: 404 } });
    return;
  }
  response.writeHead(204).end();
}

async function route(
  services: Services,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = request.url ?? '/';
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const method = request.method ?? 'GET';
  if (path.startsWith('/__emulator/')) return handleControl(services, request, response, path);
  const dialectAnswer = routeDialectRequest(services, request, response);
  if (dialectAnswer !== null) return dialectAnswer;
  if (handleCatalogRoute(services.catalogue(), method, path, response)) return;
  if (method === 'GET' && path === `${API}/models`) {
    sendJson(response, 200, services.catalogue().modelsBody);
    return;
  }
  const known = [`${API}/chat/completions`, `${API}/generation`, `${API}/key`, `${API}/credits`];
  if (!known.includes(path)) {
    sendJson(response, 404, { error: { message: 'Not Found', code: 404 } });
    return;
  }
  const apiKey = authenticate(services, request, response);
  if (apiKey === null) return;
  if (method === 'POST' && path === `${API}/chat/completions`)
    return handleChatCompletions(services, request, response, apiKey, path);
  if (method !== 'GET')
    sendJson(response, 405, { error: { message: 'Method Not Allowed', code: 405 } });
  else if (path === `${API}/generation`)
    sendGeneration(
      response,
      services.ledger,
      new URLSearchParams(url.slice(queryStart + 1)).get('id'),
    );
  else if (path === `${API}/key`) sendKey(response, services.ledger, apiKey);
  else sendCredits(response, services.ledger);
}

function createServices(options: EmulatorOptions): Services {
  let catalogue: EmulatorCatalogue | undefined;
  return {
    apiKeys: options.apiKeys === undefined ? null : new Set(options.apiKeys),
    faults: createFaultStore(),
    ledger: createEmulatorLedger(
      options.ledgerLimit ?? DEFAULT_LEDGER_LIMIT,
      options.generationLookupDelayMs ?? 0,
    ),
    matcher: options.replay === false ? null : createRecordingMatcher(),
    recordings: options.replay === false ? null : createDialectRecordingMatcher(),
    nextGenerationId: createGenerationIdGenerator(),
    catalogue: () => (catalogue ??= createEmulatorCatalogue(options.models)),
  };
}

/**
 * Creates an OpenRouter emulator (not yet listening). The catalogue and the recordings are
 * loaded at first use. See emulator-types.ts for the options and the returned interface.
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const services = createServices(options);
  const server = createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
    route(services, request, response).catch(() => {
      if (!response.headersSent)
        sendJson(response, 500, { error: { message: 'Internal Server Error', code: 500 } });
      else response.destroy();
    });
  });
  return {
    listen({ port = 0, host = '127.0.0.1' } = {}) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        // `exclusive`: in a cluster worker, a port-0 listen would otherwise be shared with the
        // other workers' emulators (each of which knows only its own gateway's key).
        server.listen({ port, host, exclusive: true }, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve(`http://${shownHost}:${address.port}`);
        });
      });
    },
    close() {
      return new Promise((resolve, reject) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close((error) => {
          if (error === undefined) resolve();
          else reject(error);
        });
        server.closeAllConnections();
      });
    },
    get ledger() {
      return services.ledger.entries;
    },
    addFault: (fault) => {
      services.faults.add(parseFault(fault));
    },
    clearFaults: () => {
      services.faults.clear();
    },
    clearLedger: () => {
      services.ledger.clear();
    },
  };
}
