import { domainToUnicode } from 'node:url';

/**
 * The company domain HubSpot matches on, from an Account's Website as people type it:
 * `https://www.Acme.com/about` → `acme.com`, `acme.co.uk:8080` → `acme.co.uk`. Null when there
 * is no plausible host (blank, a bare word, an e-mail address, an IP address).
 */
export function websiteToDomain(website: string | null): string | null {
  if (website === null) return null;
  let text = website.trim();
  if (text === '' || /\s/.test(text)) return null;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    // Without a scheme, an @ means an e-mail address typed into the Website field.
    if (text.includes('@')) return null;
    text = `http://${text.replace(/^\/+/, '')}`;
  }
  let host: string;
  try {
    host = new URL(text).hostname;
  } catch {
    return null;
  }
  host = domainToUnicode(host).toLowerCase().replace(/\.$/, '');
  if (host.startsWith('www.')) host = host.slice(4);
  if (!host.includes('.') || /^[\d.]+$/.test(host) || host.startsWith('[')) return null;
  const labels = host.split('.');
  if (labels.some((l) => l === '')) return null;
  return host;
}
