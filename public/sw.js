// Front desk service worker: keeps the app shell openable with no network.
//
// The shell is index.html plus what it references: Trunk's hashed .js/.wasm/.css (their
// names change with every build, so they never go stale), the manifest and the icons.
// The data itself lives in IndexedDB and is not this worker's business; neither is the
// WebSocket at /sync.
//
// - install: fetch `/`, read the asset URLs it references and cache index + assets.
// - activate: drop caches of older worker versions and take control of open pages.
// - fetch: navigations go to the network first (so a new build is picked up at once) and
//   fall back to the cached `/` after NAVIGATION_TIMEOUT_MS or when offline; every fresh
//   index refreshes the cached asset list. Other same-origin GETs: cache first, then the
//   network, caching what succeeds.

'use strict';

const VERSION = 'v1';
const CACHE = `front-desk-${VERSION}`;
const INDEX = '/';
const MANIFEST = '/manifest.webmanifest';
const NAVIGATION_TIMEOUT_MS = 3000;
// Live endpoints of the relay: never cached, never answered from a cache.
const LIVE_PATHS = ['/sync', '/healthz', '/metrics'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const response = await fetch(INDEX, { cache: 'no-cache' });
      if (!response.ok) throw new Error(`index.html: HTTP ${response.status}`);
      await storeShell(response);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (LIVE_PATHS.some((path) => url.pathname === path || url.pathname.startsWith(`${path}/`))) {
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(navigate(event));
  } else {
    event.respondWith(cacheFirst(request));
  }
});

/** Network first with a short timeout, then the cached index. */
async function navigate(event) {
  try {
    const response = await withTimeout(fetch(event.request), NAVIGATION_TIMEOUT_MS);
    if (response.ok && isHtml(response)) {
      // A fresh index may name new hashed assets: cache them while the page starts.
      event.waitUntil(storeShell(response.clone()).catch(() => {}));
    }
    return response;
  } catch (_offlineOrSlow) {
    const cache = await caches.open(CACHE);
    const cached = await cache.match(INDEX);
    return cached || Response.error();
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') {
    cache.put(request, response.clone()).catch(() => {});
  }
  return response;
}

/**
 * Caches an index.html response and every asset it references. The index is stored only
 * once all its assets are, so the cached index never names an asset the cache lacks;
 * entries that the new index no longer names (an older build's hashed files) are dropped.
 */
async function storeShell(indexResponse) {
  const html = await indexResponse.clone().text();
  const cache = await caches.open(CACHE);
  const urls = new Set([MANIFEST, ...assetUrls(html)]);
  urls.delete(INDEX);

  const manifestResponse = await fetchAndStore(cache, MANIFEST);
  try {
    const manifest = await manifestResponse.json();
    for (const icon of manifest.icons || []) {
      const url = sameOriginPath(icon.src);
      if (url) urls.add(url);
    }
  } catch (_notJson) {
    // The icons are only a nicety; the shell works without them.
  }

  await Promise.all([...urls].filter((url) => url !== MANIFEST).map((url) => fetchAndStore(cache, url)));
  await cache.put(INDEX, new Response(html, {
    status: indexResponse.status,
    statusText: indexResponse.statusText,
    headers: indexResponse.headers,
  }));

  const keep = new Set([INDEX, ...urls]);
  for (const request of await cache.keys()) {
    const url = new URL(request.url);
    if (!keep.has(url.pathname + url.search)) await cache.delete(request);
  }
}

async function fetchAndStore(cache, url) {
  const cached = await cache.match(url);
  // Hashed assets never change under the same name; everything else is re-fetched.
  if (cached && isHashed(url)) return cached;
  const response = await fetch(url, { cache: 'no-cache' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  await cache.put(url, response.clone());
  return response;
}

/** Same-origin paths from the index's href/src attributes (links, preloads, scripts). */
function assetUrls(html) {
  const urls = [];
  const attribute = /\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
  let match;
  while ((match = attribute.exec(html)) !== null) {
    const url = sameOriginPath(match[1] ?? match[2]);
    if (url) urls.push(url);
  }
  // Trunk's loader names the module and the wasm inside its inline script as well.
  const quoted = /["'](\/[^"'\s]+\.(?:js|wasm|css))["']/gi;
  while ((match = quoted.exec(html)) !== null) {
    const url = sameOriginPath(match[1]);
    if (url) urls.push(url);
  }
  return urls;
}

function sameOriginPath(value) {
  if (!value) return null;
  let url;
  try {
    url = new URL(value, self.location.origin);
  } catch (_invalid) {
    return null;
  }
  if (url.origin !== self.location.origin) return null;
  if (LIVE_PATHS.includes(url.pathname)) return null;
  return url.pathname + url.search;
}

function isHashed(url) {
  return /-[0-9a-f]{8,}(?:_bg)?\.(?:js|wasm|css)$/.test(url);
}

function isHtml(response) {
  return (response.headers.get('content-type') || '').includes('text/html');
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
