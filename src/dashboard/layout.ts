import { html, type SafeHtml } from './html';

export const BASE = '/dashboard';

export type Section = 'calls' | 'messages' | 'voicemails' | 'opt-outs' | 'jobs' | 'flow';

const NAV: ReadonlyArray<[Section, string, string]> = [
  ['calls', 'Calls', `${BASE}`],
  ['messages', 'Messages', `${BASE}/messages`],
  ['voicemails', 'Voicemails', `${BASE}/voicemails`],
  ['opt-outs', 'Opt-outs', `${BASE}/opt-outs`],
  ['jobs', 'Bulk jobs', `${BASE}/jobs`],
  ['flow', 'Voice flow', `${BASE}/flow`],
];

export interface LayoutOptions {
  title: string;
  /** The nav entry to mark as current; none on the login page. */
  section?: Section;
  /** Signed in with the session cookie: offer to sign out (Basic auth cannot be signed out of). */
  cookieSession?: boolean;
  /** Without a nav: the login and "disabled" pages. */
  bare?: boolean;
  /** Content as wide as the window (the flow diagram); otherwise a readable measure. */
  wide?: boolean;
}

export function layout(options: LayoutOptions, main: SafeHtml): string {
  const nav =
    !options.bare &&
    html`<nav aria-label="Sections"><ul>${NAV.map(
      ([section, label, href]) => html`<li><a href="${href}"${section === options.section ? html` aria-current="page"` : ''}>${label}</a></li>`,
    )}</ul></nav>`;
  const signOut =
    options.cookieSession &&
    html`<form method="post" action="${BASE}/logout"><button type="submit" class="plain">Sign out</button></form>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${options.title} · Switchboard</title>
<link rel="stylesheet" href="${BASE}/style.css">
<link rel="icon" href="data:,">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><span class="brand">Switchboard</span>${nav}${signOut}</header>
<main id="main"${options.wide ? html` class="wide"` : ''}>
<h1>${options.title}</h1>
${main}
</main>
</body>
</html>
`.value;
}
