import { html } from '../html';
import { BASE, layout } from '../layout';
import { errorBox } from '../view';

export function loginPage(options: { error?: string; next?: string }): string {
  const body = html`${options.error !== undefined && errorBox(options.error)}
<form class="login" method="post" action="${BASE}/login">
<label>API key <input name="key" type="password" autocomplete="current-password" required autofocus></label>
${options.next !== undefined && html`<input type="hidden" name="next" value="${options.next}">`}
<button type="submit">Sign in</button>
</form>
<p class="note">The key is the server's <code>API_KEY</code>. You stay signed in for 12 hours on this browser.</p>`;
  return layout({ title: 'Sign in', bare: true }, body);
}
