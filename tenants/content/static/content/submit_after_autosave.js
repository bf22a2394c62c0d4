/*
 * A submission waits for the autosave in flight (registered by tenants/content/wagtail_hooks.py).
 *
 * Wagtail's autosave (the w-autosave controller) creates a new page with its first request to the
 * create URL and only then points the form at the page's edit URL. A click on 提交审核/保存草稿
 * while that request is still on its way posted the form to the create URL as well: two pages.
 * So while an autosave is in flight a submission is held back, and sent once the autosave has
 * answered (to wherever the form points by then, with the button the person clicked); after a
 * submission has gone, no further autosave starts. Without a pending autosave nothing changes.
 */
(() => {
  "use strict";

  const pending = new WeakMap(); // form -> the w-autosave:save event of its request in flight
  const held = new WeakMap(); // form -> {name, value} of the clicked button (null: none)
  const sent = new WeakSet(); // forms whose submission went out
  const MARK = "data-zq-held-submitter";

  const autosaved = (element) =>
    element instanceof HTMLFormElement && element.matches("[data-controller~='w-autosave']");

  function release(form) {
    if (pending.has(form) || !held.has(form)) return;
    const button = held.get(form);
    held.delete(form);
    form.querySelectorAll(`input[${MARK}]`).forEach((input) => input.remove());
    if (button) {
      // the button itself may be disabled by now (its spinner), and a disabled button sends nothing
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = button.name;
      input.value = button.value;
      input.setAttribute(MARK, "");
      form.append(input);
    }
    form.requestSubmit();
  }

  document.addEventListener("w-autosave:save", (event) => {
    const form = event.target;
    if (!autosaved(form)) return;
    if (held.has(form) || sent.has(form)) {
      event.preventDefault(); // the submission carries the newest text anyway
      return;
    }
    pending.set(form, event);
  });

  const settle = (event) => {
    const form = event.target;
    if (!autosaved(form)) return;
    pending.delete(form);
    if (held.has(form)) window.setTimeout(() => release(form), 0); // after Wagtail's own listeners
  };
  document.addEventListener("w-autosave:success", settle);
  document.addEventListener("w-autosave:error", settle);

  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!autosaved(form) || sent.has(form)) return;
      const saving = pending.get(form);
      if (!saving || saving.defaultPrevented) return;
      event.preventDefault();
      const button = event.submitter;
      held.set(form, button && button.name ? { name: button.name, value: button.value } : null);
    },
    true,
  );

  // Last in line: only a submission nobody stopped counts as sent.
  window.addEventListener("submit", (event) => {
    if (autosaved(event.target) && !event.defaultPrevented) sent.add(event.target);
  });

  // A page restored by the Back button is being edited again.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) document.querySelectorAll("form").forEach((form) => sent.delete(form));
  });
})();
