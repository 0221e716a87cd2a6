/**
 * The emulator entry's check of its optional peer dependencies: absent packages, and an
 * adaptivecards too old for the console (botbuilder itself installs 1.2 through botframework-schema).
 */
import { EmulatorDependenciesError, assertEmulatorDependencies, missingEmulatorDependencies } from '../../src/emulator/dependencies';

const installed = (versions: Record<string, string>) => ({
  resolve: (id: string) => {
    const name = id.replace(/\/package\.json$/, '');
    if (!(name in versions)) throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
    return `/node_modules/${id}`;
  },
  readVersion: (name: string) => versions[name],
});

describe('missingEmulatorDependencies()', () => {
  it('should find nothing missing in this repository, where the dev dependencies are installed', () => {
    expect(missingEmulatorDependencies()).toEqual([]);
  });

  it('should list each absent package by name', () => {
    const { resolve, readVersion } = installed({ adaptivecards: '3.0.6' });
    expect(missingEmulatorDependencies(resolve, readVersion)).toEqual(['express', 'busboy']);
  });

  it("should count botbuilder's adaptivecards 1.2 as missing, saying which version it found", () => {
    const { resolve, readVersion } = installed({ express: '5.1.0', busboy: '1.6.0', adaptivecards: '1.2.3' });
    expect(missingEmulatorDependencies(resolve, readVersion)).toEqual(['adaptivecards (found 1.2.3, needs 3 or later)']);
  });
});

describe('assertEmulatorDependencies()', () => {
  it('should throw E_EMULATOR_DEPENDENCIES naming what is missing and the install line', () => {
    const { resolve, readVersion } = installed({ adaptivecards: '1.2.3' });
    let thrown: unknown;
    try {
      assertEmulatorDependencies(resolve, readVersion);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EmulatorDependenciesError);
    expect(thrown).toMatchObject({ code: 'E_EMULATOR_DEPENDENCIES', missing: ['express', 'busboy', 'adaptivecards (found 1.2.3, needs 3 or later)'] });
    expect((thrown as Error).message).toMatch(/express, busboy, adaptivecards \(found 1\.2\.3.*npm install --save-dev express@5 busboy@1 adaptivecards@3/);
  });
});
