// Runs cdk-nag's AwsSolutions pack over synthesized CloudFormation templates (not over the C# construct tree, which
// cdk-nag cannot load): each template is included into an empty stack through aws-cdk-lib/cloudformation-include.
// Suppressions are written in C# next to their resource as template Metadata (cdk_nag.rules_to_suppress: [{id,
// reason}]); cdk-nag 3 reads acknowledgements from the construct tree, so this script copies them there.
// Usage: node cdk-nag.mjs TEMPLATE.json...   Exit 1 on any unsuppressed finding or a suppression without a reason.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AwsSolutionsChecks } from 'cdk-nag';

const templates = process.argv.slice(2);
if (templates.length === 0) {
  console.error('usage: node cdk-nag.mjs TEMPLATE.json...');
  process.exit(2);
}

const count = (report) => report.violations.reduce((sum, v) => sum + v.violatingResources.length, 0);
let total = 0, unsuppressed = 0, badSuppressions = 0;
const rules = new Set();
for (const file of templates) {
  const template = JSON.parse(readFileSync(file, 'utf8'));
  const app = new App();
  const stack = new Stack(app, basename(file, '.template.json').replace(/[^A-Za-z0-9-]/g, '-'));
  const included = new CfnInclude(stack, 'Template', { templateFile: file });

  const before = new AwsSolutionsChecks().validateScope(stack);
  total += count(before);
  before.violations.forEach((v) => rules.add(v.ruleName.replace(/\[.*\]$/, '')));

  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    for (const { id, reason } of resource.Metadata?.cdk_nag?.rules_to_suppress ?? []) {
      if (!id || !reason || reason.trim().length < 20) {
        console.error(`${basename(file)} ${logicalId}: suppression ${id} has no reason a reviewer could judge`);
        badSuppressions++;
        continue;
      }
      included.getResource(logicalId).node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
    }
  }

  const after = new AwsSolutionsChecks().validateScope(stack);
  unsuppressed += count(after);
  for (const violation of after.violations) {
    for (const resource of violation.violatingResources) {
      console.log(`${basename(file)}: ${violation.ruleName} ${resource.constructPath.replace(/^.*?\/Template\//, '')}: ${violation.description}`);
    }
  }
}

console.log(`cdk-nag: ${total} findings over ${rules.size} rules, ${unsuppressed} unsuppressed, ${total - unsuppressed} suppressed`
  + ` (${templates.length} template${templates.length === 1 ? '' : 's'})`);
process.exit(unsuppressed > 0 || badSuppressions > 0 ? 1 : 0);
