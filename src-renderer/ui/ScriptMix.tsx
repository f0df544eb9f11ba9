import { mixesScripts, scriptsOf } from '../../src-shared/protocol/names';
import './ScriptMix.css';

/**
 * A badge beside a name written in more than one script ("Ѕystem" with a Cyrillic Ѕ): such a
 * name can pass for another that the server did not know to compare it with.
 */
export function ScriptMix({ name }: { name: string }) {
  if (!mixesScripts(name)) return null;
  const scripts = scriptsOf(name).map((s) => s.replaceAll('_', ' '));
  return (
    <span
      className="badge mixed-scripts"
      title={`This name mixes ${scripts.join(' and ')} letters`}
    >
      mixed scripts
    </span>
  );
}
