// The package ships no types; this is the shape its README documents (values stay strings, as in prom2json).
// It is CommonJS (`module.exports = parsePrometheusTextFormat`), hence `export =`.
declare module "parse-prometheus-text-format" {
  namespace parsePrometheusTextFormat {
    interface PrometheusSample {
      value?: string;
      labels?: Record<string, string>;
      buckets?: Record<string, string>;
      count?: string;
      sum?: string;
    }
    interface PrometheusFamily {
      name: string;
      help: string;
      type: "COUNTER" | "GAUGE" | "HISTOGRAM" | "SUMMARY" | "UNTYPED";
      metrics: PrometheusSample[];
    }
  }
  function parsePrometheusTextFormat(text: string): parsePrometheusTextFormat.PrometheusFamily[];
  export = parsePrometheusTextFormat;
}
