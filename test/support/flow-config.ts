/**
 * A config file with a 40-node voice flow: business hours, a main menu with eight departments of
 * three nodes each, shared voicemail and goodbye nodes, and one node nothing leads to.
 */
export function fortyNodeConfig(): { voice: { start: string; nodes: Record<string, unknown> } } {
  const nodes: Record<string, unknown> = {
    start: { type: 'hours', timeZone: 'Europe/London', schedule: { mon: ['08:00-18:00'], tue: ['08:00-18:00'], sat: ['10:00-12:00'] }, open: 'main', closed: 'closed-msg' },
    'closed-msg': { type: 'say', message: { say: 'We are closed. Please leave a message.' }, next: 'voicemail' },
    voicemail: { type: 'voicemail', maxLength: 60 },
    goodbye: { type: 'hangup', message: { say: 'Goodbye.' } },
    'team-room': { type: 'conference', room: 'all-hands' },
    'old-ivr': { type: 'redirect', url: 'https://ivr.example.com/legacy.xml', method: 'GET' },
    orphan: { type: 'say', message: { say: 'Nothing leads here.' } },
  };
  const options: Record<string, string> = { '0': 'old-ivr', '9': 'team-room' };
  for (let d = 1; d <= 8; d++) {
    const dept = `dept-${d}`;
    options[String(d)] = dept;
    nodes[dept] = {
      type: 'menu',
      prompt: { say: `Department ${d}: press 1 for sales, 2 for support, 3 for information.` },
      options: { '1': `${dept}-sales`, '2': `${dept}-support`, '3': `${dept}-info` },
      default: 'voicemail',
    };
    nodes[`${dept}-sales`] = { type: 'forward', to: `+1500555${String(1000 + d)}`, fallback: 'voicemail' };
    nodes[`${dept}-support`] = { type: 'ring', numbers: [`+1500555${String(2000 + d)}`, `+1500555${String(3000 + d)}`], fallback: 'voicemail' };
    nodes[`${dept}-info`] = { type: 'say', message: { say: `Department ${d} is open on weekdays.` }, next: 'goodbye' };
  }
  nodes.main = { type: 'menu', prompt: { say: 'Choose a department, 1 to 8; 9 for the team room.' }, options, speech: { team: '9' }, default: 'voicemail' };
  return { voice: { start: 'start', nodes } };
}
