import { h, mount } from "../dom.js";

export function showWelcome() {
  mount(
    h("h1", {}, "Practise talking and listening, together"),
    h("p", {}, "Duologue gives the two of you short, gentle exercises to do at the same time from your own devices: " +
      "say one small true thing, hear it reflected back, ask for a break without disappearing, and come back."),
    h("p", {}, "The app keeps time and takes turns for you, so nobody has to run the conversation. " +
      "Afterwards each of you keeps your own summary. Your private reflections stay yours."),
    h("div", { class: "row" },
      h("a", { class: "button", href: "/signup", "data-link": true }, "Create an account"),
      h("a", { class: "button secondary", href: "/signin", "data-link": true }, "Sign in")));
}
