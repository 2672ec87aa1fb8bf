// State model loading: "state_models" of a rule pack, the observations, states and transitions
// the state tracker runs (see rule_model.h). Tested by rule_pack_test.cc and state_tracker_test.cc.
#include <fmt/format.h>

#include "pack_reader.h"

namespace dartdiag {

using json = nlohmann::json;

StateModel PackReader::LoadStateModel(const json& object, const std::string& path) {
  StateModel model;
  model.source = source_.name;
  model.json_path = path;
  if (!object.is_object()) {
    Problem(path, "a state model must be an object");
    return model;
  }
  CheckKeys(object, path, {"id", "description", "protection", "group_by", "states", "cycles", "events", "transitions"});
  model.id = String(object, path, "id", true);
  model.description = String(object, path, "description", false);
  model.protection = String(object, path, "protection", true);
  const std::string group_by = String(object, path, "group_by", false);
  if (!group_by.empty()) {
    model.group_by = FieldByName(group_by);
    if (!model.group_by) Problem(path + "/group_by", fmt::format("unknown field '{}'", group_by));
  }
  const json* states = ForEachObject(
      object, path, "states", true, "a state is an object {id, label, health, transient?}",
      {"id", "label", "health", "transient", "description"}, [&](const json& item, const std::string& state_path) {
        StateDef state;
        state.id = String(item, state_path, "id", true);
        state.label = Localized(item, state_path, "label", true);
        const std::string health = String(item, state_path, "health", true);
        if (health == "ok")
          state.health = Health::kOk;
        else if (health == "degraded")
          state.health = Health::kDegraded;
        else if (health == "failing")
          state.health = Health::kFailing;
        else if (health == "unknown")
          state.health = Health::kUnknown;
        else if (!health.empty())
          Problem(state_path + "/health", "must be \"ok\", \"degraded\", \"failing\" or \"unknown\"");
        if (const json* transient = Get(item, state_path, "transient", json::value_t::boolean, false)) {
          state.transient = transient->get<bool>();
        }
        if (model.FindState(state.id)) Problem(state_path + "/id", fmt::format("duplicate state '{}'", state.id));
        model.states.push_back(std::move(state));
      });
  if (states != nullptr && states->empty()) Problem(path + "/states", "must list at least one state");
  ForEachObject(object, path, "cycles", false, "a probe cycle is an object {id, start, fail, fallback?, ok_after}",
                {"id", "description", "start", "fail", "fallback", "ok_after"},
                [&](const json& item, const std::string& cycle_path) {
                  ProbeCycleDef cycle;
                  cycle.id = String(item, cycle_path, "id", true);
                  if (const json* m = Get(item, cycle_path, "start", json::value_t::object, true)) {
                    cycle.start = LoadMatcher(*m, cycle_path + "/start", model.matchers);
                  }
                  if (const json* m = Get(item, cycle_path, "fail", json::value_t::object, true)) {
                    cycle.fail = LoadMatcher(*m, cycle_path + "/fail", model.matchers);
                  }
                  if (const json* m = Get(item, cycle_path, "fallback", json::value_t::object, false)) {
                    cycle.fallback = LoadMatcher(*m, cycle_path + "/fallback", model.matchers);
                  }
                  const auto found = item.find("ok_after");
                  const auto ok_after =
                      found == item.end() ? std::nullopt : LoadDuration(*found, cycle_path + "/ok_after");
                  if (found == item.end())
                    Problem(cycle_path + "/ok_after", "missing: a probe cycle needs \"ok_after\" (a duration)");
                  cycle.ok_after = ok_after.value_or(0);
                  model.cycles.push_back(std::move(cycle));
                });
  ForEachObject(object, path, "events", false, "an event observation is an object {id, match, failure?}",
                {"id", "description", "match", "failure"}, [&](const json& item, const std::string& event_path) {
                  EventObservationDef event;
                  event.id = String(item, event_path, "id", true);
                  if (const json* m = Get(item, event_path, "match", json::value_t::object, true)) {
                    event.matcher = LoadMatcher(*m, event_path + "/match", model.matchers);
                  }
                  if (const json* failure = Get(item, event_path, "failure", json::value_t::boolean, false)) {
                    event.failure = failure->get<bool>();
                  }
                  model.events.push_back(std::move(event));
                });
  if (model.ObservationCount() == 0) Problem(path, "a state model needs \"cycles\" or \"events\" to observe");
  ForEachObject(
      object, path, "transitions", true, "a transition is an object {on, from?, to}", {"on", "from", "to"},
      [&](const json& item, const std::string& t_path) {
        Transition transition;
        const std::string on = String(item, t_path, "on", true);
        if (const auto observation = model.FindObservation(on)) {
          transition.on = *observation;
        } else if (!on.empty()) {
          Problem(t_path + "/on",
                  fmt::format("unknown observation '{}' (a cycle's \"ID:ok\" or \"ID:failed\", or an event id)", on));
        }
        const auto state = [&](const std::string& id, const std::string& at) -> size_t {
          const auto found = model.FindState(id);
          if (!found && !id.empty()) Problem(at, fmt::format("unknown state '{}'", id));
          return found.value_or(0);
        };
        transition.to = state(String(item, t_path, "to", true), t_path + "/to");
        if (const json* from = Get(item, t_path, "from", json::value_t::array, false)) {
          for (size_t k = 0; k < from->size(); ++k) {
            const std::string at = fmt::format("{}/from/{}", t_path, k);
            if (!(*from)[k].is_string()) {
              Problem(at, "must be a state id");
              continue;
            }
            transition.from.push_back(state((*from)[k].get<std::string>(), at));
          }
        }
        model.transitions.push_back(std::move(transition));
      });
  return model;
}

}  // namespace dartdiag
