/**
 * Digest templates. Kept in code rather than .hbs files: they are small, and the build copies no
 * assets for alerts. Every value goes through `{{ }}` (HTML-escaped); the text template is
 * compiled with escaping off, since it is plain text.
 */

export const DIGEST_HTML = `<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>{{subject}}</title>
</head>
<body style="font-family: Arial, sans-serif; font-size: 14px; color: #222; line-height: 1.4;">
<p>{{greeting}}</p>
<p>{{intro}}</p>
<p style="color: #555; font-size: 13px;">{{timing}}</p>
{{#each sections}}
<h2 style="font-size: 17px; margin: 20px 0 6px;">{{title}}</h2>
{{#each groups}}
<h3 style="font-size: 15px; margin: 14px 0 4px;{{#if critical}} color: #a40000;{{/if}}">{{title}} — {{count}}</h3>
<ul style="margin: 0 0 8px; padding-left: 20px;">
{{#each items}}
<li style="margin-bottom: 6px;">
<div>{{message}}</div>
<div style="color: #555; font-size: 13px;">{{#each facts}}{{#unless @first}} · {{/unless}}{{this}}{{/each}}</div>
{{#if fixNote}}<div style="font-size: 13px;{{#if fixExpired}} color: #a40000;{{else}} color: #1a6b1a;{{/if}}">{{fixNote}}</div>{{/if}}
{{#if reminderNote}}<div style="font-size: 13px; color: #8a5a00;">{{reminderNote}}</div>{{/if}}
</li>
{{/each}}
</ul>
{{/each}}
{{/each}}
<p style="color: #777; font-size: 12px; margin-top: 24px;">{{footer}}</p>
</body>
</html>
`;

export const DIGEST_TEXT = `{{greeting}}

{{intro}}
{{timing}}
{{#each sections}}

== {{title}} ==
{{#each groups}}

{{title}} — {{count}}{{#if critical}} (важно){{/if}}
{{#each items}}
- {{message}}
  {{#each facts}}{{#unless @first}}; {{/unless}}{{this}}{{/each}}
{{#if fixNote}}
  {{fixNote}}
{{/if}}
{{#if reminderNote}}
  {{reminderNote}}
{{/if}}
{{/each}}
{{/each}}
{{/each}}

--
{{footer}}
`;

export const DOCUMENT_TEXT = `{{greeting}}

{{intro}}
{{#each files}}
- {{this}}
{{/each}}

--
{{footer}}
`;
