/**
 * The folders a Python file adds to `sys.path` (python-path.ts): exact when the text decides them, `computed` (the
 * function partial) otherwise. Judged sample seed 2506: harvest's handlers import their package from
 * `../site-packages` added this way.
 */
import { describe, expect, it } from 'vitest';
import { pythonPathAdditions } from '../../server/src/engine/code/python-path';

const file = 'routes/projects/projects.py';
const root = 'routes';
const folders = (text: string) => pythonPathAdditions(text, file, root).folders;

describe('sys.path additions', () => {
  it('reads folders relative to the file, the working folder and /var/task', () => {
    expect(folders("import os, sys\nsys.path.append(os.path.join(os.path.dirname(__file__), '../site-packages'))\n")).toEqual(['routes/site-packages']);
    expect(folders("sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), 'vendored'))\n")).toEqual(['routes/projects/vendored']);
    expect(folders("here = os.path.dirname(os.path.realpath(__file__))\nsys.path.append(os.path.join(here, './vendored'))\n")).toEqual(['routes/projects/vendored']);
    expect(folders("sys.path.append(str(Path(__file__).resolve().parent.parent / 'lib'))\n")).toEqual(['routes/lib']);
    expect(folders("sys.path.append(os.path.dirname(__file__) + '/lib')\n")).toEqual(['routes/projects/lib']);
    expect(folders("if 'LAMBDA_TASK_ROOT' in os.environ:\n  sys.path.append(f\"{os.environ['LAMBDA_TASK_ROOT']}/lib\")\n")).toEqual(['routes/lib']);
    expect(folders("VENDORED = Path(__file__).parent / 'vendored'\nif str(VENDORED) not in sys.path:\n  sys.path.insert(0, str(VENDORED))\n")).toEqual(['routes/projects/vendored']);
    expect(folders("sys.path.append(str(pathlib.Path('./vendor').absolute()))\n")).toEqual(['routes/vendor']);
    expect(folders("sys.path.append('lib')\nsys.path.append('/var/task/deps')\nsys.path.append(os.environ['LAMBDA_TASK_ROOT'] + '/more')\n")).toEqual(['routes/lib', 'routes/deps', 'routes/more']);
  });

  it('leaves layers and commented-out lines alone', () => {
    expect(pythonPathAdditions("sys.path.insert(0, '/opt/python')\n# sys.path.append('x')\n", file, root)).toEqual({ folders: [], computed: [] });
  });

  it('says which additions it cannot read', () => {
    const found = pythonPathAdditions("sys.path.append(f'{root}/lib')\nsys.path.append(vendor_dir)\nhere = 1\nhere = 2\nsys.path.append(here)\nsys.path.append(os.path.join(base(), 'x'))\n", file, root);
    expect(found.folders).toEqual([]);
    expect(found.computed.map((c) => c.line)).toEqual([0, 1, 4, 5]);
  });

  it('is bounded on hostile text', () => {
    const text = `sys.path.append(${'os.path.join('.repeat(5_000)}'x'${')'.repeat(5_000)})\n`.repeat(50);
    const found = pythonPathAdditions(text, file, root);
    expect(found.folders).toEqual([]);
    expect(found.computed.length).toBeLessThanOrEqual(16);
  });
});
