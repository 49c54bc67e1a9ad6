/**
 * One declaration per option (Nx's schema.json + schema.d.ts in one): flags, `--help`, prompts, plop
 * questions, validation messages and the type of the parsed values all come from it.
 */
interface OptionBase {
  description: string;
  /** Question text when the option is asked for; omit to never ask. */
  prompt?: string;
  /** The positional argument (`generate cache <name>`); at most one per generator. */
  positional?: boolean;
  /** Flag name when it is not the key in kebab-case (`packageManager` is `--pm`). */
  flag?: string;
  /** `<prefix>` in `--key-prefix <prefix>`, `<table>` for a positional argument. */
  placeholder?: string;
  /** Asked only when this holds for the values gathered so far. */
  when?: (values: Readonly<Record<string, unknown>>) => boolean;
}

export interface StringOption extends OptionBase {
  kind: "string";
  default?: string;
  /** Without a value (flag, answer or default) the run stops with exit 2 naming the flag. */
  required?: boolean;
  /** Shown pre-filled in a prompt; unlike `default` it is not applied to flags. */
  initial?: string;
  /** A problem with the value, or undefined: the same message on the command line, in prompts and in plop. */
  validate?: (value: string) => string | undefined;
}

export interface IntegerOption extends OptionBase {
  kind: "integer";
  default: number;
  min: number;
  max: number;
}

export interface BooleanOption extends OptionBase {
  kind: "boolean";
  /** Without one, an option nobody gave stays undefined and normalize decides (e.g. from another option). */
  default?: boolean;
}

export interface EnumOption<Choice extends string = string> extends OptionBase {
  kind: "enum";
  choices: readonly Choice[];
  /** Without one, an option nobody gave stays undefined and normalize decides (e.g. from the environment). */
  default?: NoInfer<Choice>;
  /** Longer labels for prompts. */
  titles?: Partial<Record<NoInfer<Choice>, string>>;
}

/** Repeatable, and comma-separated values are split: `--index a --index b,c`. */
export interface ListOption extends OptionBase {
  kind: "list";
  /** `--index a,b` is ONE entry (a composite index), not two. */
  keepCommas?: boolean;
  validate?: (value: string) => string | undefined;
}

export type OptionDescriptor = StringOption | IntegerOption | BooleanOption | EnumOption | ListOption;
export type OptionDescriptors = Readonly<Record<string, OptionDescriptor>>;

type ValueOf<Descriptor> = Descriptor extends { kind: "integer" }
  ? number
  : Descriptor extends { kind: "boolean" }
    ? Descriptor extends { default: boolean }
      ? boolean
      : boolean | undefined
    : Descriptor extends { kind: "list" }
      ? string[]
      : Descriptor extends { kind: "enum"; choices: readonly (infer Choice)[] }
        ? Descriptor extends { default: string }
          ? Choice
          : Choice | undefined
        : Descriptor extends { default: string } | { required: true }
          ? string
          : string | undefined;

/** The parsed, validated values of a generator's options. */
export type OptionValues<Descriptors extends OptionDescriptors> = {
  -readonly [Key in keyof Descriptors]: ValueOf<Descriptors[Key]>;
};
