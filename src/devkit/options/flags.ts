import { kebabCase } from "change-case";

import type { OptionDescriptor, OptionDescriptors } from "./descriptors.js";

/** `keyPrefix` -> `key-prefix`, unless the descriptor names its flag (`packageManager` -> `pm`). */
export function flagName(key: string, descriptor: OptionDescriptor): string {
  return descriptor.flag ?? kebabCase(key);
}

/** The option as error messages name it: `--ttl`, `the table argument`. */
export function flagLabel(key: string, descriptor: OptionDescriptor): string {
  return descriptor.positional ? `the ${descriptor.placeholder ?? key} argument` : `--${flagName(key, descriptor)}`;
}

/** How the user supplies an option without a prompt, for messages: `--ttl <seconds>`, `the name argument`. */
export function flagUsage(key: string, descriptor: OptionDescriptor, usage: string): string {
  if (descriptor.positional) {
    const shown = descriptor.placeholder ?? key;
    return `the ${shown} argument (${usage} <${shown}>)`;
  }
  const flag = `--${flagName(key, descriptor)}`;
  if (descriptor.kind === "boolean") return descriptor.default ? `--no-${flagName(key, descriptor)}` : flag;
  if (descriptor.kind === "enum") return `${flag} <${descriptor.choices.join("|")}>`;
  return `${flag} <${descriptor.placeholder ?? "value"}>`;
}

/** Flag name (without dashes, `no-` stripped) -> option key, for front ends that read raw arguments (plop). */
export function optionKeysByFlag(descriptors: OptionDescriptors): Map<string, string> {
  return new Map(Object.entries(descriptors).map(([key, descriptor]) => [flagName(key, descriptor), key]));
}

/** The positional option's key, if the generator has one. */
export function positionalKey(descriptors: OptionDescriptors): string | undefined {
  return Object.entries(descriptors).find(([, descriptor]) => descriptor.positional)?.[0];
}
