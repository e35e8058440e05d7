import { generateSamTemplate } from './generate';
import { parseYaml } from '../server/src/engine/documents/yaml';
import { DEFAULT_LIMITS } from '../server/src/engine/documents/parse';
const text = generateSamTemplate(5000);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (let i = 0; i < 3; i++) { const c = cpu(); parseYaml(text, DEFAULT_LIMITS); console.log('parse', i, (cpu() - c).toFixed(0)); }
