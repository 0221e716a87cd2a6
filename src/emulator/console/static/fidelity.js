// The fidelity-profile picker in the top bar: which documented form of 8x8's events the emulator
// delivers from now on (see src/emulator/delivery/fidelity.ts). Standalone: it only talks to
// /console/api/fidelity, so it cannot disturb the rest of the console.
const API = new URL('../api/fidelity', import.meta.url);
const select = document.querySelector('[data-testid="fidelity-profile"]');

async function load() {
  const response = await fetch(API);
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  const { profile, profiles } = await response.json();
  select.replaceChildren(...profiles.map((name) => new Option(name, name, name === profile, name === profile)));
  select.dataset.state = 'ready';
}

select.addEventListener('change', async () => {
  select.dataset.state = 'saving';
  const response = await fetch(API, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ profile: select.value }) });
  // On a refusal, show the profile the emulator really uses.
  if (!response.ok) await load();
  select.dataset.state = response.ok ? 'saved' : 'error';
});

load().catch(() => {
  select.dataset.state = 'error';
});
